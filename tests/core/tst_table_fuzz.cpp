// Robustness of parse_table on arbitrary bytes: every input either parses into a consistent
// Table or throws tb::Error naming the source; nothing else escapes and nothing crashes.
// TB_FUZZ_SCALE=N multiplies the iterations (and TB_FUZZ_SEED changes them) for longer runs,
// e.g. under the ASan/UBSan build.
#include <QtTest>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "common/error.h"
#include "data/table.h"

using tb::data::TableFormat;

namespace {

// Pieces that drive the readers into their interesting states.
const std::vector<std::string> kTokens = {",",
                                          "\t",
                                          "\"",
                                          "\"\"",
                                          "\n",
                                          "\r\n",
                                          "\r",
                                          "a",
                                          "bc",
                                          " ",
                                          "{",
                                          "}",
                                          "[",
                                          "]",
                                          ":",
                                          "\"k\"",
                                          "1",
                                          "-2.5e3",
                                          "true",
                                          "null",
                                          "\\",
                                          "\\u00e9",
                                          "\\ud800",
                                          "中文",
                                          "\xF0\x9F\x98\x80",
                                          "{\"text\":\"x\",\"label\":1}"};
// Encoding breakers; drawn rarely, because any one of them makes the whole input an encoding
// error and the structural paths would never run.
const std::vector<std::string> kHostile = {"\xEF\xBB\xBF",       "\xFF",    "\xC3", "\xE4\xB8",
                                           std::string(1, '\0'), "\xFF\xFE"};

const std::vector<std::string> kSeeds = {
    "text,label\n\"a, b\",pos\n\"x\"\"y\",neg\n\"multi\nline\",pos\n",
    "\xEF\xBB\xBFt\tl\r\nfoo\tbar\r\n\"q\tq\"\tz\r\n",
    "{\"text\":\"hi\",\"label\":\"pos\"}\n\n{\"label\":2,\"text\":\"中文\",\"x\":[1,{\"y\":null}]}"
    "\n",
};

int env_int(const char* name, int fallback) {
    const char* value = std::getenv(name);
    return value != nullptr && std::atoi(value) > 0 ? std::atoi(value) : fallback;
}

const int kScale = env_int("TB_FUZZ_SCALE", 1);

std::string hex(const std::string& bytes) {
    std::string out;
    char buffer[4];
    for (unsigned char c : bytes) {
        std::snprintf(buffer, sizeof buffer, "%02X", c);
        out += buffer;
    }
    return out;
}

}  // namespace

class TstTableFuzz : public QObject {
    Q_OBJECT

private slots:
    void random_bytes();
    void random_tokens();
    void mutated_files();

private:
    void check(const std::string& input);

    const std::string& token() {
        if (rng_() % 100 == 0)
            return kHostile[rng_() % kHostile.size()];
        return kTokens[rng_() % kTokens.size()];
    }

    std::mt19937 rng_{static_cast<unsigned>(env_int("TB_FUZZ_SEED", 20240611))};
    int parsed_ = 0;
    int rejected_ = 0;
};

void TstTableFuzz::check(const std::string& input) {
    for (TableFormat format :
         {TableFormat::Auto, TableFormat::Csv, TableFormat::Tsv, TableFormat::Jsonl}) {
        try {
            const tb::data::Table table = tb::data::parse_table(input, format, "fuzz.txt");
            ++parsed_;
            QVERIFY2(table.format != TableFormat::Auto, hex(input).c_str());
            QVERIFY2(!table.columns.empty(), hex(input).c_str());
            QVERIFY2(table.row_lines.size() == table.rows.size(), hex(input).c_str());
            long previous = 0;
            for (std::size_t r = 0; r < table.rows.size(); ++r) {
                QVERIFY2(table.rows[r].size() == table.columns.size(), hex(input).c_str());
                QVERIFY2(table.row_lines[r] > previous, hex(input).c_str());
                previous = table.row_lines[r];
            }
        } catch (const tb::Error& e) {
            ++rejected_;
            QVERIFY2(e.where().file == "fuzz.txt", hex(input).c_str());
            QVERIFY2(!e.message().empty(), hex(input).c_str());
        } catch (...) {
            QFAIL(("an exception other than tb::Error for input " + hex(input)).c_str());
        }
    }
}

void TstTableFuzz::random_bytes() {
    std::uniform_int_distribution<int> length(0, 200);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int i = 0; i < 300 * kScale; ++i) {
        std::string input(static_cast<std::size_t>(length(rng_)), '\0');
        for (char& c : input)
            c = static_cast<char>(byte(rng_));
        check(input);
    }
}

void TstTableFuzz::random_tokens() {
    std::uniform_int_distribution<int> count(0, 60);
    for (int i = 0; i < 600 * kScale; ++i) {
        std::string input;
        for (int n = count(rng_); n > 0; --n)
            input += token();
        check(input);
    }
    // Random tokens must also produce successful parses, or this test exercises only errors.
    QVERIFY2(parsed_ > 100, std::to_string(parsed_).c_str());
    QVERIFY2(rejected_ > 100, std::to_string(rejected_).c_str());
}

void TstTableFuzz::mutated_files() {
    std::uniform_int_distribution<int> edits(1, 4);
    for (const std::string& seed : kSeeds) {
        for (int i = 0; i < 200 * kScale; ++i) {
            std::string input = seed;
            for (int n = edits(rng_); n > 0; --n) {
                std::uniform_int_distribution<std::size_t> at(0, input.size());
                const std::size_t pos = at(rng_);
                switch (rng_() % 3) {
                    case 0:
                        input.insert(pos, token());
                        break;
                    case 1:
                        input.erase(pos, 1 + rng_() % 3);
                        break;
                    default:
                        if (pos < input.size())
                            input[pos] = static_cast<char>(rng_() & 0xFF);
                }
            }
            check(input);
        }
    }
}

QTEST_APPLESS_MAIN(TstTableFuzz)
#include "tst_table_fuzz.moc"
