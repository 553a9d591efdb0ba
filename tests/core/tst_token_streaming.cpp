// Streaming token import (sentence index + chunked summary) against the in-memory path
// (read_token_file + build_token_dataset + split_sentences): same counts, tags, scheme,
// problems (kind, line, column, message, order), split and per-split tag counts, on the
// fixtures, on tests/fixtures/bad/ and on generated files, with chunks and read buffers small
// enough to cut sentences and lines anywhere; encoding errors; cancel.
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <random>
#include <string>

#include "common/error.h"
#include "data/sentence_index.h"
#include "data/token_dataset.h"
#include "data/token_readers.h"
#include "data/token_summary.h"

using namespace tb::data;

namespace {

std::string fixture(const std::string& name) {
    return std::string(TB_FIXTURES_DIR "/") + name;
}

std::string write_temp(const QTemporaryDir& dir, const std::string& name,
                       const std::string& content) {
    const std::string path = dir.filePath(QString::fromStdString(name)).toStdString();
    std::ofstream(path, std::ios::binary) << content;
    return path;
}

std::string describe(const DataProblem& p) {
    return p.kind + "@" + p.file + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) +
           " " + p.message;
}

std::string error_text(const tb::Error& e) {
    const auto& w = e.where();
    return w.file + ":" + std::to_string(w.line) + ":" + std::to_string(w.column) + " " +
           e.message();
}

// Per tag: tokens in train, dev, test, as the in-memory dataset and split give them.
std::vector<std::array<std::size_t, 3>> in_memory_split_tags(const TokenDataset& d,
                                                             const SplitIndices& split) {
    std::vector<std::array<std::size_t, 3>> counts(std::size_t(d.tags.size()), {0, 0, 0});
    const std::vector<std::size_t>* parts[3] = {&split.train, &split.dev, &split.test};
    for (std::size_t p = 0; p < 3; ++p)
        for (std::size_t i : *parts[p])
            for (int tag : d.sentences[i].tags)
                ++counts[std::size_t(tag)][p];
    return counts;
}

// Compares the streaming summary of `path` with the in-memory dataset for several chunk and
// buffer sizes. `in_memory` (if given) receives the in-memory dataset for further checks.
void compare_paths(const std::string& path, TokenFormat format = TokenFormat::Auto,
                   const TokenSummaryOptions& base = {}, TokenDataset* in_memory = nullptr) {
    const TokenDataset d =
        build_token_dataset(read_token_file(path, format, base.conll), base.dataset);
    if (in_memory)
        *in_memory = d;
    SplitFractions fractions;
    fractions.train = 0.6;
    fractions.dev = 0.2;
    fractions.test = 0.2;
    const SplitIndices split = split_sentences(d, fractions, 7);
    for (std::size_t buffer : {std::size_t(16), std::size_t(37), std::size_t(1) << 20}) {
        const SentenceIndex index = build_sentence_index(path, format, {}, buffer);
        for (std::size_t chunk :
             {std::size_t(1), std::size_t(2), std::size_t(3), std::size_t(4096)}) {
            TokenSummaryOptions options = base;
            options.chunk_sentences = chunk;
            options.read_ahead = chunk == 2;  // the next chunk parsed on a worker thread
            const TokenSummary s = summarize_sentences(index, options);
            const QString where = QStringLiteral("%1 buffer %2 chunk %3")
                                      .arg(QString::fromStdString(path))
                                      .arg(buffer)
                                      .arg(chunk);
            QVERIFY2(!s.cancelled, qPrintable(where));
            QCOMPARE(s.format, d.format);
            QCOMPARE(s.sentences, d.sentences.size());
            QCOMPARE(s.tokens, d.token_count());
            QCOMPARE(s.scheme, d.scheme);
            QCOMPARE(s.converted_to_bio, d.converted_to_bio);
            QCOMPARE(s.tags.names(), d.tags.names());
            QCOMPARE(s.tag_counts, d.tag_counts());
            QCOMPARE(s.problem_count, d.problems.size());
            QCOMPARE(s.problems.size(), d.problems.size());
            for (std::size_t i = 0; i < d.problems.size(); ++i)
                QCOMPARE(describe(s.problems[i]), describe(d.problems[i]));
            QCOMPARE(s.lengths.size(), d.sentences.size());
            for (std::size_t i = 0; i < d.sentences.size(); ++i) {
                QCOMPARE(std::size_t(s.lengths[i]), d.sentences[i].tokens.size());
                QCOMPARE(long(index.lines[s.sentence_rows[i]]), d.sentences[i].line);
            }
            for (int t = 0; t < d.tags.size(); ++t) {
                long first = 0;
                for (const auto& sentence : d.sentences)
                    if (first == 0 && std::count(sentence.tags.begin(), sentence.tags.end(), t))
                        first = sentence.line;
                QCOMPARE(s.tag_first_lines[std::size_t(t)], first);
            }
            if (!d.sentences.empty()) {
                const SplitIndices streamed = split_summary_sentences(s, fractions, 7);
                QCOMPARE(streamed.train, split.train);
                QCOMPARE(streamed.dev, split.dev);
                QCOMPARE(streamed.test, split.test);
                QCOMPARE(count_split_tags(index, s, streamed, options),
                         in_memory_split_tags(d, split));
            }
        }
    }
}

// A CoNLL file with everything the reader handles: BOM, CRLF and lone CR line ends, -DOCSTART-,
// blank lines of spaces, Chinese tokens, ragged and short lines, invalid BIO transitions.
std::string generated_conll(int sentences, unsigned seed) {
    std::mt19937 rng(seed);
    const char* words[] = {"Anna", "lives", "in", "Berlin", "北京", "大学", "the", "Acme", "Inc."};
    const char* types[] = {"PER", "LOC", "ORG"};
    std::string out = "\xEF\xBB\xBF-DOCSTART- O\n\n";
    for (int s = 0; s < sentences; ++s) {
        const int n = 1 + int(rng() % 12);
        const bool ragged = rng() % 23 == 0;
        const bool short_line = rng() % 29 == 0;
        for (int i = 0; i < n; ++i) {
            std::string tag = "O";
            const int r = int(rng() % 10);
            if (r < 2)
                tag = std::string("B-") + types[rng() % 3];
            else if (r < 4)
                tag = std::string("I-") + types[rng() % 3];  // often an invalid transition
            std::string line = std::string(words[rng() % 9]) + (rng() % 2 ? "\t" : "  ") + "NN";
            if (ragged && i == n / 2)
                line += " X";
            line += (line.find('\t') != std::string::npos ? "\t" : " ") + tag;
            if (short_line && i == n - 1)
                line = words[0];
            out += line;
            const int end = int(rng() % 7);
            out += end == 0 ? "\r\n" : end == 1 ? "\r" : "\n";
        }
        const int gap = int(rng() % 9);
        out += gap == 0 ? "\n  \t\n" : gap == 1 ? "-DOCSTART- -X- O\n\n" : "\n";
    }
    return out;
}

}  // namespace

class TstTokenStreaming : public QObject {
    Q_OBJECT

private slots:
    void fixturesMatchInMemory() {
        for (const char* name :
             {"data/ner/conll2003_bio.conll", "data/ner/iob1.conll", "data/ner/iobes.conll",
              "data/ner/invalid_bio.conll", "data/brown/brown_pos.txt",
              "bad/conll_invalid_bio.conll", "bad/conll_ragged.conll", "bad/tagged_untagged.txt",
              "bad/token_jsonl_mismatch.jsonl"}) {
            compare_paths(fixture(name));
            if (QTest::currentTestFailed())
                return;
        }
        TokenSummaryOptions tag3;
        tag3.conll.tag_column = 3;
        TokenDataset d;
        compare_paths(fixture("bad/conll_wrong_tag_column.conll"), TokenFormat::Conll, tag3, &d);
        QVERIFY(!d.problems.empty());
        TokenSummaryOptions keep;
        keep.dataset.convert_to_bio = false;
        keep.dataset.scheme = TagScheme::Bio;
        compare_paths(fixture("data/ner/iob1.conll"), TokenFormat::Conll, keep);
    }

    void generatedConllMatchesInMemory() {
        QTemporaryDir dir;
        const std::string path = write_temp(dir, "gen.conll", generated_conll(300, 1));
        TokenDataset d;
        compare_paths(path, TokenFormat::Auto, {}, &d);
        QVERIFY(d.sentences.size() > 100);
        QVERIFY(d.problems.size() > 20);  // ragged, short lines and transitions all occur
    }

    void jsonlAndTaggedMatchInMemory() {
        QTemporaryDir dir;
        std::string jsonl = "\xEF\xBB\xBF";
        std::string tagged;
        for (int i = 0; i < 200; ++i) {
            if (i % 17 == 0)
                jsonl += "{\"tokens\": [], \"tags\": []}\n";
            else if (i % 19 == 0)
                jsonl += "{\"tokens\": [\"a\"], \"tags\": [\"O\", \"O\"]}\r\n";
            else if (i % 23 == 0)
                jsonl += "not json\n   \n";
            else
                jsonl += "{\"tokens\": [\"李\", \"x" + std::to_string(i) +
                         "\"], \"tags\": [\"B-PER\", \"" + (i % 3 ? "I-PER" : "I-LOC") + "\"]}\n";
            tagged += i % 13 == 0 ? "word without/ tag\n\t\n" : "The/at 北京/np ran/vbd ./.\n";
        }
        compare_paths(write_temp(dir, "gen.jsonl", jsonl));
        compare_paths(write_temp(dir, "gen.txt", tagged), TokenFormat::Tagged);
    }

    void lateSchemeEvidenceRestartsThePass() {
        // BIO-looking sentences, then an S- tag near the end: the scheme is IOBES, and the
        // transitions of the first sentences must be checked against IOBES too.
        QTemporaryDir dir;
        std::string text;
        for (int i = 0; i < 50; ++i)
            text += "Anna B-PER\nSmith I-PER\nsays O\n\n";
        text += "Bob S-PER\n";
        const std::string path = write_temp(dir, "late.conll", text);
        TokenDataset d;
        compare_paths(path, TokenFormat::Auto, {}, &d);
        QCOMPARE(d.scheme, TagScheme::Iobes);
        TokenSummaryOptions options;
        options.chunk_sentences = 4;
        const TokenSummary s = summarize_sentences(build_sentence_index(path), options);
        QVERIFY(s.passes >= 2);
        QCOMPARE(s.problem_count, std::size_t(50));  // every unclosed B-PER chunk
        options.read_ahead = true;  // a restart while the next chunk is being parsed
        const TokenSummary ahead = summarize_sentences(build_sentence_index(path), options);
        QCOMPARE(ahead.passes, s.passes);
        QCOMPARE(ahead.problem_count, s.problem_count);
        QCOMPARE(ahead.tag_counts, s.tag_counts);
    }

    void readSentencesGivesFileLines() {
        const std::string path = fixture("data/ner/conll2003_bio.conll");
        const TokenFile whole = read_token_file(path);
        const SentenceIndex index = build_sentence_index(path);
        QCOMPARE(index.sentences(), whole.sentences.size());
        for (std::size_t first = 0; first < index.sentences(); ++first) {
            const TokenFile part = read_sentences(index, first, 2);
            QVERIFY(!part.sentences.empty());
            QCOMPARE(part.sentences[0].tokens, whole.sentences[first].tokens);
            QCOMPARE(part.sentences[0].tags, whole.sentences[first].tags);
            QCOMPARE(part.sentences[0].lines, whole.sentences[first].lines);
            QCOMPARE(index.sentence_at_line(whole.sentences[first].lines.back()), first);
        }
        QVERIFY(read_sentences(index, index.sentences(), 5).sentences.empty());
    }

    void encodingErrorsMatchInMemory() {
        QTemporaryDir dir;
        std::string conll;
        for (int i = 0; i < 40; ++i)
            conll += "北京 B-LOC\nis O\n\n";
        const std::string latin = conll + "caf\xE9 O\n";
        const std::string nul = conll + "a\tO\nb\x00 O\n" + std::string(1, '\0');
        const std::string cases[] = {latin, std::string(nul.data(), nul.size()),
                                     std::string("\xFF\xFE\0\0h\0\0\0", 8), std::string()};
        int i = 0;
        for (const std::string& content : cases) {
            const std::string path =
                write_temp(dir, "enc" + std::to_string(i++) + ".conll", content);
            std::string expected, got;
            try {
                build_token_dataset(read_token_file(path));
            } catch (const tb::Error& e) {
                expected = error_text(e);
            }
            try {
                summarize_sentences(build_sentence_index(path, TokenFormat::Auto, {}, 16));
            } catch (const tb::Error& e) {
                got = error_text(e);
            }
            QVERIFY2(!expected.empty(), path.c_str());
            QCOMPARE(QString::fromStdString(got), QString::fromStdString(expected));
        }
    }

    void cancel() {
        QTemporaryDir dir;
        const std::string path = write_temp(dir, "gen.conll", generated_conll(400, 2));
        int calls = 0;
        const SentenceIndex partial = build_sentence_index(
            path, TokenFormat::Auto, [&](std::uint64_t, std::uint64_t) { return ++calls < 2; }, 64);
        QVERIFY(partial.cancelled);
        QCOMPARE(calls, 2);
        const SentenceIndex index = build_sentence_index(path);
        QVERIFY(!index.cancelled);
        QCOMPARE(index.data_end, index.file_size);
        TokenSummaryOptions options;
        options.chunk_sentences = 10;
        const TokenSummary s = summarize_sentences(
            index, options, [](std::size_t done, std::size_t) { return done < 30; });
        QVERIFY(s.cancelled);
        QCOMPARE(s.indexed, std::size_t(30));
    }

    void memoryIsPerSentence() {
        QTemporaryDir dir;
        const std::string path = write_temp(dir, "gen.conll", generated_conll(2000, 3));
        const SentenceIndex index = build_sentence_index(path);
        const TokenSummary s = summarize_sentences(index);
        // Reserved once for every indexed sentence: 12 bytes each, whatever the sentence length.
        QCOMPARE(s.memory_bytes(), index.sentences() * 12);
        QVERIFY(token_memory_estimate(index) >= s.memory_bytes() + index.sentences() * 16);
    }
};

QTEST_MAIN(TstTokenStreaming)
#include "tst_token_streaming.moc"
