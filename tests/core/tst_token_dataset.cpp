// Token classification import: CoNLL / JSONL / tagged text readers, tag scheme detection,
// invalid transitions located at the tag, BIO conversion, and sentence splits.
#include <QtTest>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "data/file_bytes.h"
#include "data/token_dataset.h"

using namespace tb::data;

namespace {

std::string fixture(const std::string& name) {
    return std::string(TB_FIXTURES_DIR) + "/data/" + name;
}

std::vector<std::string> tag_names(const TokenDataset& d, const TokenSentence& s) {
    std::vector<std::string> out;
    for (int id : s.tags)
        out.push_back(d.tags.name(id));
    return out;
}

using Tags = std::vector<std::string>;

}  // namespace

class TstTokenDataset : public QObject {
    Q_OBJECT

private slots:
    void scheme_detection();
    void transitions_per_scheme();
    void conversion_to_bio();
    void conll_2003_style();
    void conll_chosen_tag_column();
    void conll_iob1_converted();
    void conll_iobes_converted();
    void invalid_transitions_located();
    void conll_bad_lines_reported();
    void jsonl_tokens_and_tags();
    void tagged_text_brown_sample();
    void format_detection();
    void empty_file_throws();
    void sentence_split_is_seeded();
};

void TstTokenDataset::scheme_detection() {
    QCOMPARE(detect_tag_scheme({{"B-PER", "I-PER", "O"}, {"B-LOC"}}), TagScheme::Bio);
    QCOMPARE(detect_tag_scheme({{"I-PER", "I-PER", "B-PER", "O"}}), TagScheme::Iob1);
    QCOMPARE(detect_tag_scheme({{"B-PER", "E-PER", "S-LOC"}}), TagScheme::Iobes);
    QCOMPARE(detect_tag_scheme({{"nn", "vb", "O"}}), TagScheme::Plain);
    QCOMPARE(detect_tag_scheme({{"O", "O"}}), TagScheme::Bio);
    QCOMPARE(detect_tag_scheme({}), TagScheme::Bio);
    // Mixed chunk starts: read as BIO, and the I- starts become invalid transitions.
    QCOMPARE(detect_tag_scheme({{"B-PER", "O", "I-LOC"}}), TagScheme::Bio);
    QCOMPARE(tag_scheme_from_name("iob2"), TagScheme::Bio);
    QVERIFY_THROWS_EXCEPTION(tb::Error, tag_scheme_from_name("bilou"));
}

void TstTokenDataset::transitions_per_scheme() {
    auto indices = [](const Tags& tags, TagScheme scheme) {
        std::vector<std::size_t> out;
        for (const auto& issue : check_tag_transitions(tags, scheme))
            out.push_back(issue.index);
        return out;
    };
    using V = std::vector<std::size_t>;
    QCOMPARE(indices({"B-PER", "I-PER", "O", "B-LOC"}, TagScheme::Bio), V{});
    QCOMPARE(indices({"B-LOC", "I-PER", "O", "I-LOC"}, TagScheme::Bio), (V{1, 3}));
    QCOMPARE(indices({"I-PER", "B-PER", "O", "B-LOC"}, TagScheme::Iob1), (V{3}));
    QCOMPARE(indices({"B-PER", "E-PER", "S-LOC", "O"}, TagScheme::Iobes), V{});
    QCOMPARE(indices({"B-PER", "O", "I-PER", "E-PER"}, TagScheme::Iobes), (V{1, 2}));
    QCOMPARE(indices({"B-PER", "I-PER"}, TagScheme::Iobes), (V{1}));  // never closed
    QCOMPARE(indices({"E-PER"}, TagScheme::Bio), (V{0}));             // wrong scheme
    QCOMPARE(indices({"nn", "vb"}, TagScheme::Plain), V{});
    const auto issues = check_tag_transitions({"B-LOC", "I-PER"}, TagScheme::Bio);
    QVERIFY(issues[0].message.find("'I-PER' after 'B-LOC'") != std::string::npos);
    QVERIFY(issues[0].message.find("B-PER") != std::string::npos);
}

void TstTokenDataset::conversion_to_bio() {
    QCOMPARE(convert_tags_to_bio({"I-PER", "I-PER", "B-PER", "O", "I-LOC"}, TagScheme::Iob1),
             (Tags{"B-PER", "I-PER", "B-PER", "O", "B-LOC"}));
    QCOMPARE(convert_tags_to_bio({"S-PER", "B-LOC", "I-LOC", "E-LOC", "O"}, TagScheme::Iobes),
             (Tags{"B-PER", "B-LOC", "I-LOC", "I-LOC", "O"}));
    QCOMPARE(convert_tags_to_bio({"O", "I-PER", "B-LOC", "I-PER"}, TagScheme::Bio),
             (Tags{"O", "B-PER", "B-LOC", "B-PER"}));
    QCOMPARE(convert_tags_to_bio({"nn", "vb"}, TagScheme::Plain), (Tags{"nn", "vb"}));
}

void TstTokenDataset::conll_2003_style() {
    const TokenFile file = read_token_file(fixture("ner/conll2003_bio.conll"));
    QCOMPARE(file.format, TokenFormat::Conll);
    QVERIFY(file.problems.empty());
    const TokenDataset d = build_token_dataset(file);
    QCOMPARE(d.scheme, TagScheme::Bio);
    QCOMPARE(d.sentences.size(), std::size_t{3});
    QCOMPARE(d.sentences[0].tokens, (Tags{"EU", "rejects", "German", "call", "."}));
    QCOMPARE(tag_names(d, d.sentences[0]), (Tags{"B-ORG", "O", "B-MISC", "O", "O"}));
    QCOMPARE(d.sentences[0].line, 3L);
    QCOMPARE(d.sentences[2].tokens, (Tags{"张", "三", "在", "北京", "工作"}));
    QCOMPARE(tag_names(d, d.sentences[2]), (Tags{"B-PER", "I-PER", "O", "B-LOC", "O"}));
    QCOMPARE(d.sentences[2].line, 14L);
    QCOMPARE(d.tags.names(),
             (Tags{"O", "B-LOC", "B-MISC", "B-ORG", "B-PER", "I-PER"}));  // O first, then sorted
    QCOMPARE(d.token_count(), std::size_t{12});
    QCOMPARE(d.tag_counts()[0], std::size_t{5});
    QVERIFY(d.problems.empty());
}

void TstTokenDataset::conll_chosen_tag_column() {
    ConllOptions options;
    options.tag_column = 3;  // the chunk column of CoNLL-2003
    const TokenDataset d = build_token_dataset(
        read_token_file(fixture("ner/conll2003_bio.conll"), TokenFormat::Conll, options));
    QCOMPARE(tag_names(d, d.sentences[0]), (Tags{"B-NP", "B-VP", "B-NP", "I-NP", "O"}));
    options.token_column = 2;
    options.tag_column = 1;
    const TokenFile pos = parse_token_file("a DT\nb NN\n", TokenFormat::Conll, "p.conll", options);
    QCOMPARE(pos.sentences[0].tokens, (Tags{"DT", "NN"}));
    QCOMPARE(pos.sentences[0].tags, (Tags{"a", "b"}));
}

void TstTokenDataset::conll_iob1_converted() {
    const TokenDataset d = build_token_dataset(read_token_file(fixture("ner/iob1.conll")));
    QCOMPARE(d.scheme, TagScheme::Iob1);
    QVERIFY(d.converted_to_bio);
    QVERIFY(d.problems.empty());
    QCOMPARE(tag_names(d, d.sentences[0]), (Tags{"B-PER", "I-PER", "B-PER", "O", "B-LOC"}));
    QCOMPARE(tag_names(d, d.sentences[1]), (Tags{"B-PER"}));
    TokenDatasetOptions keep;
    keep.convert_to_bio = false;
    const TokenDataset raw = build_token_dataset(read_token_file(fixture("ner/iob1.conll")), keep);
    QCOMPARE(tag_names(raw, raw.sentences[0]), (Tags{"I-PER", "I-PER", "B-PER", "O", "I-LOC"}));
}

void TstTokenDataset::conll_iobes_converted() {
    const TokenDataset d = build_token_dataset(read_token_file(fixture("ner/iobes.conll")));
    QCOMPARE(d.scheme, TagScheme::Iobes);
    QVERIFY(d.problems.empty());
    QCOMPARE(tag_names(d, d.sentences[0]), (Tags{"O", "B-LOC", "I-LOC", "O", "O", "B-PER"}));
    QCOMPARE(tag_names(d, d.sentences[1]), (Tags{"B-PER", "I-PER", "I-PER"}));
}

void TstTokenDataset::invalid_transitions_located() {
    const std::string path = fixture("ner/invalid_bio.conll");
    const TokenDataset d = build_token_dataset(read_token_file(path));
    QCOMPARE(d.scheme, TagScheme::Bio);
    QCOMPARE(d.problems.size(), std::size_t{2});
    QCOMPARE(d.problems[0].kind, std::string("invalid_transition"));
    QCOMPARE(d.problems[0].file, path);
    QCOMPARE(d.problems[0].line, 4L);
    QCOMPARE(d.problems[0].column, 6L);  // "City I-PER": the tag starts at character 6
    QVERIFY(d.problems[0].message.find("'I-PER' after 'B-LOC'") != std::string::npos);
    QCOMPARE(d.problems[1].line, 6L);
    QVERIFY(d.problems[1].message.find("at the start of the sentence") != std::string::npos);
    // Kept and repaired.
    QCOMPARE(d.sentences.size(), std::size_t{2});
    QCOMPARE(tag_names(d, d.sentences[0]), (Tags{"B-PER", "O", "B-LOC", "B-PER"}));
}

void TstTokenDataset::conll_bad_lines_reported() {
    const TokenFile file = parse_token_file("a O\nb\nc O\n\nd O\ne X O\n\nf\tB-PER\ng\t\n\nh O\n",
                                            TokenFormat::Conll, "b.conll");
    QCOMPARE(file.sentences.size(), std::size_t{1});
    QCOMPARE(file.sentences[0].tokens, (Tags{"h"}));
    QCOMPARE(file.problems.size(), std::size_t{3});
    QCOMPARE(file.problems[0].kind, std::string("missing_column"));
    QCOMPARE(file.problems[0].line, 2L);
    QCOMPARE(file.problems[1].kind, std::string("ragged_line"));
    QCOMPARE(file.problems[1].line, 6L);
    QCOMPARE(file.problems[1].column, 5L);
    QCOMPARE(file.problems[2].kind, std::string("missing_tag"));
    QCOMPARE(file.problems[2].line, 9L);
    QCOMPARE(file.problems[2].column, 3L);
}

void TstTokenDataset::jsonl_tokens_and_tags() {
    const TokenFile file = parse_token_file(
        "{\"tokens\": [\"王\", \"五\", \"去\", \"上海\"], \"tags\": [\"B-PER\", \"I-PER\", \"O\", "
        "\"B-LOC\"]}\n"
        "{\"tokens\": [\"a\"], \"tags\": []}\n"
        "not json\n"
        "{\"tokens\": [\"a\"]}\n"
        "\n"
        "{\"tokens\": [\"x\", \"y\"], \"tags\": [\"O\", \"I-ORG\"]}\n",
        TokenFormat::Auto, "t.jsonl");
    QCOMPARE(file.format, TokenFormat::Jsonl);
    QCOMPARE(file.sentences.size(), std::size_t{2});
    QCOMPARE(file.problems.size(), std::size_t{3});
    QCOMPARE(file.problems[0].kind, std::string("length_mismatch"));
    QCOMPARE(file.problems[0].line, 2L);
    QCOMPARE(file.problems[1].kind, std::string("parse_error"));
    QCOMPARE(file.problems[2].kind, std::string("missing_key"));
    QCOMPARE(file.problems[2].line, 4L);
    const TokenDataset d = build_token_dataset(file);
    QCOMPARE(d.problems.size(), std::size_t{4});  // + the I-ORG after O on line 6
    QCOMPARE(d.problems[3].kind, std::string("invalid_transition"));
    QCOMPARE(d.problems[3].line, 6L);
    QCOMPARE(tag_names(d, d.sentences[0]), (Tags{"B-PER", "I-PER", "O", "B-LOC"}));
}

void TstTokenDataset::tagged_text_brown_sample() {
    const TokenFile file = read_token_file(fixture("brown/brown_pos.txt"));
    QCOMPARE(file.format, TokenFormat::Tagged);
    QVERIFY(file.problems.empty());
    const TokenDataset d = build_token_dataset(file);
    QCOMPARE(d.scheme, TagScheme::Plain);
    QCOMPARE(d.sentences[0].tokens[0], std::string("The"));
    QCOMPARE(tag_names(d, d.sentences[0])[1], std::string("np-tl"));
    // Against counts computed independently by make_reference.py.
    const auto reference = nlohmann::json::parse(read_file_bytes(fixture("brown/reference.json")));
    QCOMPARE(d.sentences.size(), reference["sentences"].get<std::size_t>());
    QCOMPARE(d.token_count(), reference["tokens"].get<std::size_t>());
    QCOMPARE(static_cast<std::size_t>(d.tags.size()),
             reference["distinct_tags"].get<std::size_t>());
    const auto counts = d.tag_counts();
    for (const auto& [tag, count] : reference["counts"].items()) {
        QCOMPARE(counts[static_cast<std::size_t>(d.tags.index_of(tag))], count.get<std::size_t>());
    }
    const TokenFile bad = parse_token_file("a/dt b/nn\nthe cat/nn\n", TokenFormat::Tagged, "x.txt");
    QCOMPARE(bad.sentences.size(), std::size_t{1});
    QCOMPARE(bad.problems.size(), std::size_t{1});
    QCOMPARE(bad.problems[0].kind, std::string("untagged_token"));
    QCOMPARE(bad.problems[0].line, 2L);
    QCOMPARE(bad.problems[0].column, 1L);
}

void TstTokenDataset::format_detection() {
    QCOMPARE(detect_token_format("EU B-ORG\n", "x.conll"), TokenFormat::Conll);
    QCOMPARE(detect_token_format("EU B-ORG\n", "x.txt"), TokenFormat::Conll);
    QCOMPARE(detect_token_format("{\"tokens\":[]}\n", "x.txt"), TokenFormat::Jsonl);
    QCOMPARE(detect_token_format("\tThe/at jury/nn said/vbd\n", "ca01"), TokenFormat::Tagged);
    QCOMPARE(token_format_from_name("tagged"), TokenFormat::Tagged);
    QVERIFY_THROWS_EXCEPTION(tb::Error, token_format_from_name("xml"));
}

void TstTokenDataset::empty_file_throws() {
    try {
        build_token_dataset(parse_token_file("\n\n", TokenFormat::Conll, "e.conll"));
        QFAIL("expected tb::Error");
    } catch (const tb::Error& e) {
        QCOMPARE(e.where().file, std::string("e.conll"));
        QVERIFY(e.message().find("no tagged sentence") != std::string::npos);
    }
}

void TstTokenDataset::sentence_split_is_seeded() {
    std::string content;
    for (int i = 0; i < 40; ++i)
        content += std::string("w") + (i % 2 ? " B-PER\n" : " B-LOC\n") + "x O\n\n";
    const TokenDataset d = build_token_dataset(parse_token_file(content, TokenFormat::Conll, "s"));
    QCOMPARE(d.sentences.size(), std::size_t{40});
    const SplitFractions f{0.5, 0.25, 0.25};
    const SplitIndices a = split_sentences(d, f, 1);
    const SplitIndices b = split_sentences(d, f, 1);
    const SplitIndices c = split_sentences(d, f, 2);
    QCOMPARE(a.train, b.train);
    QVERIFY(a.train != c.train);
    QCOMPARE(a.train.size() + a.dev.size() + a.test.size(), std::size_t{40});
    std::size_t per = 0;  // stratified by chunk type: 10 PER sentences of 20 in train
    for (std::size_t i : a.train)
        per += d.tags.name(d.sentences[i].tags[0]) == "B-PER";
    QCOMPARE(per, std::size_t{10});
}

QTEST_MAIN(TstTokenDataset)
#include "tst_token_dataset.moc"
