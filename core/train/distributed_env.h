// Reads where this process sits in a data-parallel job (rank, world size, rendezvous address) from
// torchrun-style or Slurm environment variables. Torch-free so it is cheap to test.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace tb::train {

struct DistributedEnv {
    int rank = 0;
    int world_size = 1;
    int local_rank = 0;       // index of this process on its machine (picks the GPU)
    std::string master_addr;  // rendezvous host (rank 0 runs the store there); empty if single
    int master_port = 0;      // rendezvous TCP port; 0 if single
    std::string source = "single";  // "single", "torchrun" or "slurm": which variables were used

    bool is_distributed() const { return world_size > 1; }
    bool is_primary() const { return rank == 0; }
    // One line for logs, e.g. "rank 1 of 4 (local 1), rendezvous node01:29500, from slurm".
    std::string describe() const;
};

using EnvironmentMap = std::map<std::string, std::string>;

// Precedence: torchrun variables (WORLD_SIZE / RANK) win over Slurm ones (SLURM_NTASKS /
// SLURM_PROCID), so a torchrun-style launch inside a Slurm allocation does what it says. No
// variables, or a world size of 1, mean a single process. Inconsistent or unparsable values
// throw tb::Error naming the variable (SourceLocation::key) and what to set instead.
//
// torchrun: WORLD_SIZE, RANK, MASTER_ADDR, MASTER_PORT required when WORLD_SIZE > 1;
//   LOCAL_RANK defaults to RANK (every process on one machine).
// Slurm: SLURM_NTASKS, SLURM_PROCID, SLURM_LOCALID (default 0), MASTER_PORT required when more
//   than one task; MASTER_ADDR defaults to the first host of SLURM_JOB_NODELIST (or
//   SLURM_NODELIST).
DistributedEnv parse_distributed_env(const EnvironmentMap& env);

// The variables parse_distributed_env looks at, read from this process's environment.
EnvironmentMap distributed_variables_from_process();

// parse_distributed_env(distributed_variables_from_process()).
DistributedEnv distributed_env_from_process();

// Expands a Slurm host list: "node[01-03,07],gpu5" -> node01 node02 node03 node07 gpu5.
// Zero padding of a range follows its lower bound; several bracket groups in one name expand
// as a product ("r[1-2]n[1-2]" -> r1n1 r1n2 r2n1 r2n2). Malformed lists throw tb::Error.
std::vector<std::string> expand_slurm_nodelist(const std::string& list);

}  // namespace tb::train
