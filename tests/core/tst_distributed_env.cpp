// Where a process sits in a data-parallel job: torchrun and Slurm variables, Slurm host lists,
// inconsistent values; and how batches and evaluation splits are shared between ranks.
#include "common/error.h"
#include "train/data_sharding.h"
#include "train/distributed_env.h"

#include <QtTest>

#include <algorithm>
#include <numeric>

using namespace tb::train;

namespace {

// The variable an error names, or "" when nothing was thrown.
std::string error_key(const EnvironmentMap& env) {
    try {
        parse_distributed_env(env);
    } catch (const tb::Error& e) {
        return e.where().key;
    }
    return "";
}

std::string error_message(const EnvironmentMap& env) {
    try {
        parse_distributed_env(env);
    } catch (const tb::Error& e) {
        return e.message();
    }
    return "";
}

std::vector<std::size_t> iota_vector(std::size_t n, std::size_t first = 0) {
    std::vector<std::size_t> v(n);
    std::iota(v.begin(), v.end(), first);
    return v;
}

}  // namespace

class TstDistributedEnv : public QObject {
    Q_OBJECT
private slots:
    void noVariablesIsSingleProcess() {
        const auto env = parse_distributed_env({});
        QCOMPARE(env.world_size, 1);
        QCOMPARE(env.rank, 0);
        QVERIFY(!env.is_distributed());
        QVERIFY(env.is_primary());
        QCOMPARE(env.source, std::string("single"));
        // Unrelated variables change nothing.
        QCOMPARE(parse_distributed_env({{"HOME", "/root"}, {"MASTER_PORT", "1"}}).world_size, 1);
    }

    void torchrunVariables() {
        const auto env = parse_distributed_env({{"MASTER_ADDR", "10.0.0.1"},
                                                {"MASTER_PORT", "29500"},
                                                {"RANK", "3"},
                                                {"WORLD_SIZE", "4"},
                                                {"LOCAL_RANK", "1"}});
        QCOMPARE(env.source, std::string("torchrun"));
        QCOMPARE(env.rank, 3);
        QCOMPARE(env.world_size, 4);
        QCOMPARE(env.local_rank, 1);
        QCOMPARE(env.master_addr, std::string("10.0.0.1"));
        QCOMPARE(env.master_port, 29500);
        QVERIFY(env.is_distributed());
        QVERIFY(!env.is_primary());
        QVERIFY(env.describe().find("rank 3 of 4") != std::string::npos);
    }

    void torchrunLocalRankDefaultsToRank() {
        const auto env = parse_distributed_env({{"MASTER_ADDR", "127.0.0.1"},
                                                {"MASTER_PORT", "1234"},
                                                {"RANK", "1"},
                                                {"WORLD_SIZE", "2"}});
        QCOMPARE(env.local_rank, 1);
    }

    void worldSizeOneNeedsNoRendezvous() {
        const auto env = parse_distributed_env({{"RANK", "0"}, {"WORLD_SIZE", "1"}});
        QVERIFY(!env.is_distributed());
        QCOMPARE(env.source, std::string("torchrun"));
        QVERIFY(env.master_addr.empty());
    }

    void torchrunErrorsNameTheVariable() {
        const EnvironmentMap ok = {
            {"MASTER_ADDR", "h"}, {"MASTER_PORT", "29500"}, {"RANK", "0"}, {"WORLD_SIZE", "2"}};
        QCOMPARE(error_key(ok), std::string());
        auto with = [&](const std::string& k, const std::string& v) {
            auto env = ok;
            env[k] = v;
            return env;
        };
        auto without = [&](const std::string& k) {
            auto env = ok;
            env.erase(k);
            return env;
        };
        QCOMPARE(error_key(with("RANK", "2")), std::string("RANK"));
        QVERIFY(error_message(with("RANK", "2")).find("0 to 1") != std::string::npos);
        QCOMPARE(error_key(with("RANK", "-1")), std::string("RANK"));
        QCOMPARE(error_key(with("RANK", "one")), std::string("RANK"));
        QCOMPARE(error_key(with("RANK", "1x")), std::string("RANK"));
        QCOMPARE(error_key(with("WORLD_SIZE", "0")), std::string("WORLD_SIZE"));
        QCOMPARE(error_key(without("WORLD_SIZE")), std::string("WORLD_SIZE"));
        QCOMPARE(error_key(without("RANK")), std::string("RANK"));
        QCOMPARE(error_key(without("MASTER_PORT")), std::string("MASTER_PORT"));
        QCOMPARE(error_key(with("MASTER_PORT", "70000")), std::string("MASTER_PORT"));
        QCOMPARE(error_key(with("MASTER_PORT", "0")), std::string("MASTER_PORT"));
        QCOMPARE(error_key(without("MASTER_ADDR")), std::string("MASTER_ADDR"));
        QCOMPARE(error_key(with("LOCAL_RANK", "2")), std::string("LOCAL_RANK"));
        QCOMPARE(error_key(with("WORLD_SIZE", "99999999999999999999")), std::string("WORLD_SIZE"));
    }

    void slurmVariables() {
        const auto env = parse_distributed_env({{"SLURM_PROCID", "5"},
                                                {"SLURM_NTASKS", "8"},
                                                {"SLURM_LOCALID", "1"},
                                                {"SLURM_JOB_NODELIST", "gpu[07-10],login"},
                                                {"MASTER_PORT", "29400"}});
        QCOMPARE(env.source, std::string("slurm"));
        QCOMPARE(env.rank, 5);
        QCOMPARE(env.world_size, 8);
        QCOMPARE(env.local_rank, 1);
        QCOMPARE(env.master_addr, std::string("gpu07"));  // first host of the job
        QCOMPARE(env.master_port, 29400);
    }

    void slurmMasterAddrOverridesNodelistAndNodelistFallback() {
        auto env = parse_distributed_env({{"SLURM_PROCID", "0"},
                                          {"SLURM_NTASKS", "2"},
                                          {"SLURM_JOB_NODELIST", "a[1-2]"},
                                          {"MASTER_ADDR", "b9"},
                                          {"MASTER_PORT", "1"}});
        QCOMPARE(env.master_addr, std::string("b9"));
        env = parse_distributed_env({{"SLURM_PROCID", "1"},
                                     {"SLURM_NTASKS", "2"},
                                     {"SLURM_NODELIST", "c[3-4]"},
                                     {"MASTER_PORT", "1"}});
        QCOMPARE(env.master_addr, std::string("c3"));
        QCOMPARE(env.local_rank, 0);  // SLURM_LOCALID absent
    }

    void slurmErrors() {
        QCOMPARE(error_key({{"SLURM_PROCID", "2"},
                            {"SLURM_NTASKS", "2"},
                            {"SLURM_JOB_NODELIST", "n1"},
                            {"MASTER_PORT", "1"}}),
                 std::string("SLURM_PROCID"));
        QCOMPARE(
            error_key({{"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "2"}, {"SLURM_JOB_NODELIST", "n1"}}),
            std::string("MASTER_PORT"));
        QVERIFY(error_message(
                    {{"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "2"}, {"SLURM_JOB_NODELIST", "n1"}})
                    .find("sbatch") != std::string::npos);
        QCOMPARE(error_key({{"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "2"}, {"MASTER_PORT", "1"}}),
                 std::string("MASTER_ADDR"));
        QCOMPARE(error_key({{"SLURM_PROCID", "0"},
                            {"SLURM_NTASKS", "2"},
                            {"SLURM_JOB_NODELIST", "n[2-1]"},
                            {"MASTER_PORT", "1"}}),
                 std::string("SLURM_JOB_NODELIST"));
        // One task needs no rendezvous at all.
        QVERIFY(!parse_distributed_env({{"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "1"}})
                     .is_distributed());
    }

    void torchrunVariablesWinOverSlurm() {
        const auto env = parse_distributed_env({{"SLURM_PROCID", "0"},
                                                {"SLURM_NTASKS", "1"},
                                                {"RANK", "1"},
                                                {"WORLD_SIZE", "2"},
                                                {"MASTER_ADDR", "h"},
                                                {"MASTER_PORT", "2"}});
        QCOMPARE(env.source, std::string("torchrun"));
        QCOMPARE(env.world_size, 2);
    }

    void nodelistExpansion() {
        using V = std::vector<std::string>;
        QCOMPARE(expand_slurm_nodelist("node01"), V{"node01"});
        QCOMPARE(expand_slurm_nodelist("node[01-04,07]"),
                 (V{"node01", "node02", "node03", "node04", "node07"}));
        QCOMPARE(expand_slurm_nodelist("a[8-11],b,c[1]"), (V{"a8", "a9", "a10", "a11", "b", "c1"}));
        QCOMPARE(expand_slurm_nodelist("gpu[098-101]-ib"),
                 (V{"gpu098-ib", "gpu099-ib", "gpu100-ib", "gpu101-ib"}));
        QCOMPARE(expand_slurm_nodelist("r[1-2]n[1-2]"), (V{"r1n1", "r1n2", "r2n1", "r2n2"}));
        QCOMPARE(expand_slurm_nodelist("host-1.example.org"), V{"host-1.example.org"});
        for (const char* bad : {"", "a[1-2", "a]1[", "a[x]", "a[3-1]", "a,,b", "a[1-]", "a[]"}) {
            bool threw = false;
            try {
                expand_slurm_nodelist(bad);
            } catch (const tb::Error& e) {
                threw = true;
                QCOMPARE(e.where().key, std::string("SLURM_JOB_NODELIST"));
            }
            QVERIFY2(threw, bad);
        }
    }

    void shardBatchCoversEveryExampleOnce() {
        const std::vector<std::size_t> batch = {9, 4, 7, 1, 0, 3, 8};
        for (auto mode : {ShardMode::Contiguous, ShardMode::Strided}) {
            for (int world = 1; world <= 9; ++world) {
                std::vector<std::size_t> all;
                std::size_t smallest = batch.size(), largest = 0;
                for (int r = 0; r < world; ++r) {
                    const auto part = shard_batch(batch, r, world, mode);
                    QCOMPARE(part, shard_batch(batch, r, world, mode));  // deterministic
                    all.insert(all.end(), part.begin(), part.end());
                    smallest = std::min(smallest, part.size());
                    largest = std::max(largest, part.size());
                }
                QVERIFY(largest - smallest <= 1);  // balanced
                if (mode == ShardMode::Contiguous) {
                    QCOMPARE(all, batch);  // rank order concatenation = batch order
                } else {
                    auto a = all, b = batch;
                    std::sort(a.begin(), a.end());
                    std::sort(b.begin(), b.end());
                    QCOMPARE(a, b);
                }
            }
        }
    }

    void shardBatchSmallerThanWorld() {
        const std::vector<std::size_t> batch = {5, 6};
        QCOMPARE(shard_batch(batch, 0, 4), std::vector<std::size_t>{5});
        QCOMPARE(shard_batch(batch, 1, 4), std::vector<std::size_t>{6});
        QVERIFY(shard_batch(batch, 2, 4).empty());
        QVERIFY(shard_batch(batch, 3, 4).empty());
        QCOMPARE(shard_batch(iota_vector(8), 1, 2), iota_vector(4, 4));
        QCOMPARE(shard_batch(iota_vector(5), 0, 2), iota_vector(3));
        QCOMPARE(shard_batch(iota_vector(5), 1, 2, ShardMode::Strided),
                 (std::vector<std::size_t>{1, 3}));
    }

    void shardRejectsBadRanks() {
        QVERIFY_THROWS_EXCEPTION(tb::Error, shard_batch({1}, 2, 2));
        QVERIFY_THROWS_EXCEPTION(tb::Error, shard_batch({1}, -1, 2));
        QVERIFY_THROWS_EXCEPTION(tb::Error, eval_shard(3, 0, 0));
    }

    void evalShardCoversSplitExactlyOnce() {
        for (std::size_t n : {0u, 1u, 2u, 7u, 100u}) {
            for (int world = 1; world <= 5; ++world) {
                std::vector<int> seen(n, 0);
                for (int r = 0; r < world; ++r)
                    for (auto i : eval_shard(n, r, world)) {
                        QVERIFY(i < n);
                        ++seen[i];
                    }
                QVERIFY(std::all_of(seen.begin(), seen.end(), [](int c) { return c == 1; }));
            }
        }
        QCOMPARE(eval_shard(7, 1, 3), (std::vector<std::size_t>{1, 4}));
    }
};

QTEST_GUILESS_MAIN(TstDistributedEnv)
#include "tst_distributed_env.moc"
