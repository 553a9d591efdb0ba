// Test helper for tst_checkpoint_kill: saves checkpoints in a loop until it is killed.
// Usage: checkpoint_kill_writer DIR FIRST_ITERATION [COUNT]
// Iteration i is written with io::save_checkpoint (the real save path) to DIR/ckpt-<i % 3>.h5,
// then "i" is appended to DIR/progress.log. Without COUNT it never stops on its own.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "checkpoint_kill_content.h"
#include "common/error.h"

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s DIR FIRST_ITERATION [COUNT]\n", argv[0]);
        return 2;
    }
    const std::string dir = argv[1];
    const long long first = std::atoll(argv[2]);
    const long long count = argc > 3 ? std::atoll(argv[3]) : -1;
    const int log =
        ::open((dir + "/progress.log").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log < 0) {
        std::perror("progress.log");
        return 1;
    }
    try {
        for (long long i = first; count < 0 || i < first + count; ++i) {
            tb::io::save_checkpoint(tb::kill_test::checkpoint_for(i),
                                    dir + "/" + tb::kill_test::file_name(i));
            const std::string line = std::to_string(i) + "\n";
            if (::write(log, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
                return 1;
        }
    } catch (const tb::Error& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    ::close(log);
    return 0;
}
