#include "train/distributed_env.h"

#include <cerrno>
#include <cstdlib>
#include <limits>

#include "common/error.h"

namespace tb::train {
namespace {

const char* const kVariables[] = {
    "MASTER_ADDR",  "MASTER_PORT",  "RANK",          "WORLD_SIZE",         "LOCAL_RANK",
    "SLURM_PROCID", "SLURM_NTASKS", "SLURM_LOCALID", "SLURM_JOB_NODELIST", "SLURM_NODELIST"};

[[noreturn]] void fail(const std::string& variable, const std::string& message) {
    throw Error(message, SourceLocation{"environment", 0, 0, variable});
}

const std::string* find(const EnvironmentMap& env, const std::string& name) {
    const auto it = env.find(name);
    return it == env.end() || it->second.empty() ? nullptr : &it->second;
}

// Whole string must be a decimal integer in [min, max]; anything else names the variable.
long long parse_int(const std::string& variable, const std::string& text, long long min,
                    long long max) {
    const char* begin = text.c_str();
    char* end = nullptr;
    errno = 0;
    const long long value = std::strtoll(begin, &end, 10);
    if (end == begin || *end != '\0' || errno == ERANGE)
        fail(variable, variable + "='" + text + "' is not an integer");
    if (value < min || value > max)
        fail(variable, variable + "=" + text + " is out of range: expected " + std::to_string(min) +
                           " to " + std::to_string(max));
    return value;
}

int required_int(const EnvironmentMap& env, const std::string& variable, long long min,
                 long long max, const std::string& why) {
    const auto* text = find(env, variable);
    if (!text)
        fail(variable, variable + " is not set; " + why);
    return static_cast<int>(parse_int(variable, *text, min, max));
}

void check_rank(const std::string& rank_var, int rank, const std::string& world_var, int world) {
    if (rank >= world)
        fail(rank_var, rank_var + "=" + std::to_string(rank) + " is not below " + world_var + "=" +
                           std::to_string(world) + "; ranks run from 0 to " +
                           std::to_string(world - 1));
}

void read_port(const EnvironmentMap& env, DistributedEnv& out, const std::string& hint) {
    out.master_port = required_int(env, "MASTER_PORT", 1, 65535,
                                   "every process must be given the same free TCP port on "
                                   "the rendezvous host" +
                                       hint);
}

std::vector<std::string> split_top_level(const std::string& list) {
    std::vector<std::string> parts;
    std::string current;
    int depth = 0;
    for (const char c : list) {
        if (c == '[')
            ++depth;
        else if (c == ']')
            --depth;
        if (depth < 0)
            fail("SLURM_JOB_NODELIST", "unbalanced ']' in host list '" + list + "'");
        if (c == ',' && depth == 0) {
            parts.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    if (depth != 0)
        fail("SLURM_JOB_NODELIST", "unbalanced '[' in host list '" + list + "'");
    parts.push_back(current);
    return parts;
}

// "01-03,07" -> {"01","02","03","07"} with the padding of each lower bound.
std::vector<std::string> expand_ranges(const std::string& ranges, const std::string& list) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= ranges.size()) {
        std::size_t comma = ranges.find(',', start);
        if (comma == std::string::npos)
            comma = ranges.size();
        const std::string item = ranges.substr(start, comma - start);
        const auto dash = item.find('-');
        const std::string lo = item.substr(0, dash);
        const std::string hi = dash == std::string::npos ? lo : item.substr(dash + 1);
        auto is_number = [](const std::string& s) {
            return !s.empty() && s.size() < 10 && s.find_first_not_of("0123456789") == s.npos;
        };
        if (!is_number(lo) || !is_number(hi))
            fail("SLURM_JOB_NODELIST",
                 "range '" + item + "' in host list '" + list + "' is not N or N-M");
        const long a = std::stol(lo), b = std::stol(hi);
        if (b < a)
            fail("SLURM_JOB_NODELIST",
                 "range '" + item + "' in host list '" + list + "' runs backwards");
        for (long v = a; v <= b; ++v) {
            std::string digits = std::to_string(v);
            if (digits.size() < lo.size())
                digits.insert(0, lo.size() - digits.size(), '0');
            out.push_back(digits);
        }
        start = comma + 1;
    }
    return out;
}

std::vector<std::string> expand_host(const std::string& host, const std::string& list) {
    const auto open = host.find('[');
    if (open == std::string::npos)
        return {host};
    const auto close = host.find(']', open);
    const std::string prefix = host.substr(0, open);
    const auto values = expand_ranges(host.substr(open + 1, close - open - 1), list);
    const auto rests = expand_host(host.substr(close + 1), list);
    std::vector<std::string> out;
    for (const auto& v : values)
        for (const auto& rest : rests)
            out.push_back(prefix + v + rest);
    return out;
}

DistributedEnv parse_torchrun(const EnvironmentMap& env) {
    DistributedEnv out;
    out.source = "torchrun";
    out.world_size = required_int(env, "WORLD_SIZE", 1, std::numeric_limits<int>::max(),
                                  "set it to the number of processes");
    out.rank = required_int(env, "RANK", 0, std::numeric_limits<int>::max(),
                            "set it to this process's index, 0 to WORLD_SIZE-1");
    check_rank("RANK", out.rank, "WORLD_SIZE", out.world_size);
    const auto* local = find(env, "LOCAL_RANK");
    out.local_rank =
        local ? static_cast<int>(parse_int("LOCAL_RANK", *local, 0, out.world_size - 1)) : out.rank;
    if (!out.is_distributed())
        return out;
    const auto* addr = find(env, "MASTER_ADDR");
    if (!addr)
        fail("MASTER_ADDR",
             "MASTER_ADDR is not set; set it to the host name or address of the machine that "
             "runs rank 0 (127.0.0.1 when every process is on this machine)");
    out.master_addr = *addr;
    read_port(env, out, "");
    return out;
}

DistributedEnv parse_slurm(const EnvironmentMap& env) {
    DistributedEnv out;
    out.source = "slurm";
    out.world_size = required_int(env, "SLURM_NTASKS", 1, std::numeric_limits<int>::max(),
                                  "launch the job with srun");
    out.rank = required_int(env, "SLURM_PROCID", 0, std::numeric_limits<int>::max(),
                            "launch each task with srun");
    check_rank("SLURM_PROCID", out.rank, "SLURM_NTASKS", out.world_size);
    const auto* local = find(env, "SLURM_LOCALID");
    out.local_rank =
        local ? static_cast<int>(parse_int("SLURM_LOCALID", *local, 0, out.world_size - 1)) : 0;
    if (!out.is_distributed())
        return out;
    if (const auto* addr = find(env, "MASTER_ADDR")) {
        out.master_addr = *addr;
    } else {
        const auto* nodes = find(env, "SLURM_JOB_NODELIST");
        if (!nodes)
            nodes = find(env, "SLURM_NODELIST");
        if (!nodes)
            fail("MASTER_ADDR",
                 "neither MASTER_ADDR nor SLURM_JOB_NODELIST is set; export MASTER_ADDR with "
                 "the host of task 0");
        out.master_addr = expand_slurm_nodelist(*nodes).front();
    }
    read_port(env, out, " (e.g. 'export MASTER_PORT=29500' in the sbatch script)");
    return out;
}

}  // namespace

std::string DistributedEnv::describe() const {
    if (!is_distributed())
        return "single process";
    return "rank " + std::to_string(rank) + " of " + std::to_string(world_size) + " (local " +
           std::to_string(local_rank) + "), rendezvous " + master_addr + ":" +
           std::to_string(master_port) + ", from " + source + " variables";
}

DistributedEnv parse_distributed_env(const EnvironmentMap& env) {
    if (find(env, "WORLD_SIZE") || find(env, "RANK"))
        return parse_torchrun(env);
    if (find(env, "SLURM_NTASKS") || find(env, "SLURM_PROCID"))
        return parse_slurm(env);
    return DistributedEnv{};
}

EnvironmentMap distributed_variables_from_process() {
    EnvironmentMap env;
    for (const char* name : kVariables)
        if (const char* value = std::getenv(name))
            env[name] = value;
    return env;
}

DistributedEnv distributed_env_from_process() {
    return parse_distributed_env(distributed_variables_from_process());
}

std::vector<std::string> expand_slurm_nodelist(const std::string& list) {
    std::vector<std::string> hosts;
    for (const auto& part : split_top_level(list)) {
        if (part.empty())
            fail("SLURM_JOB_NODELIST", "empty host name in host list '" + list + "'");
        for (auto& host : expand_host(part, list))
            hosts.push_back(std::move(host));
    }
    return hosts;
}

}  // namespace tb::train
