// Model library scan: folders (bounded depth, hidden skipped), the hub cache layout with
// symlinked blobs, summaries from the files, and unsupported folders with their reasons.
#include <QTemporaryDir>
#include <QtTest>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "model/model_library.h"

using namespace tb::model;
namespace fs = std::filesystem;

namespace {

const fs::path kFixtures = TB_FIXTURES_DIR "/model";

void copy_folder(const fs::path& from, const fs::path& to) {
    fs::create_directories(to);
    for (const auto& entry : fs::directory_iterator(from))
        fs::copy_file(entry.path(), to / entry.path().filename());
}

void write_text(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
}

const ModelLibraryEntry* find_entry(const std::vector<ModelLibraryEntry>& entries,
                                    const std::string& path_suffix) {
    for (const auto& e : entries)
        if (e.path.size() >= path_suffix.size() &&
            e.path.compare(e.path.size() - path_suffix.size(), path_suffix.size(), path_suffix) ==
                0)
            return &e;
    return nullptr;
}

}  // namespace

class TestModelLibrary : public QObject {
    Q_OBJECT

private slots:
    void hub_cache_dir_follows_environment();
    void scans_folders_and_hub_cache();
    void unsupported_folders_say_why();
    void licence_comes_from_the_model_card();
};

void TestModelLibrary::hub_cache_dir_follows_environment() {
    qputenv("HF_HUB_CACHE", "/x/hubcache");
    QCOMPARE(hub_cache_dir(), std::string("/x/hubcache"));
    qunsetenv("HF_HUB_CACHE");
    qputenv("HF_HOME", "/y/hf");
    QCOMPARE(hub_cache_dir(), std::string("/y/hf/hub"));
    qunsetenv("HF_HOME");
    qputenv("XDG_CACHE_HOME", "/z/cache");
    QCOMPARE(hub_cache_dir(), std::string("/z/cache/huggingface/hub"));
    qunsetenv("XDG_CACHE_HOME");
    qputenv("HOME", "/home/u");
    QCOMPARE(hub_cache_dir(), std::string("/home/u/.cache/huggingface/hub"));
}

void TestModelLibrary::scans_folders_and_hub_cache() {
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    copy_folder(kFixtures / "tiny_bert", root / "models" / "bert");
    copy_folder(kFixtures / "tiny_distilbert", root / "models" / "deep" / "er" / "distil");
    copy_folder(kFixtures / "tiny_electra", root / "models" / ".hidden" / "electra");
    copy_folder(kFixtures / "tiny_electra", root / "models" / "a" / "b" / "c" / "d" / "e" / "x");

    // Hub cache: snapshot files are links into blobs/, refs/main names the snapshot.
    const fs::path repo = root / "hf" / "hub" / "models--org--tiny-roberta";
    const fs::path snap = repo / "snapshots" / "0123abcd";
    fs::create_directories(snap);
    fs::create_directories(repo / "blobs");
    for (const auto& entry : fs::directory_iterator(kFixtures / "tiny_roberta")) {
        const fs::path blob = repo / "blobs" / ("sha-" + entry.path().filename().string());
        fs::copy_file(entry.path(), blob);
        fs::create_symlink(blob, snap / entry.path().filename());
    }
    write_text(repo / "refs" / "main", "0123abcd");
    fs::create_directories(root / "hf" / "hub" / "datasets--org--data" / "snapshots" / "1");
    qputenv("HF_HOME", QByteArray::fromStdString((root / "hf").string()));

    const auto entries = scan_model_library({(root / "models").string(), "/no/such/folder"});
    QCOMPARE(entries.size(), std::size_t{3});  // hidden and too-deep folders are not listed

    const ModelLibraryEntry* bert = find_entry(entries, "/models/bert");
    QVERIFY(bert);
    QVERIFY2(bert->supported, bert->reason.c_str());
    QCOMPARE(bert->source, std::string("folder"));
    QCOMPARE(bert->family, std::string("BERT"));
    QCOMPARE(bert->architecture, std::string("BertModel"));
    QCOMPARE(bert->hidden_size, std::int64_t{32});
    QCOMPARE(bert->layers, std::int64_t{2});
    QCOMPARE(bert->vocab_size, std::int64_t{100});
    QCOMPARE(bert->max_positions, std::int64_t{64});
    // 100x32 + 64x32 + 2x32 + LN 2x32 + 2 layers x (4 (32x32+32) + 2 LN + 32x64+64 + 64x32+32)
    // + pooler 32x32+32
    const std::int64_t per_layer = 4 * (32 * 32 + 32) + 4 * 32 + (32 * 64 + 64) + (64 * 32 + 32);
    QCOMPARE(bert->parameter_count,
             std::int64_t{100 * 32 + 64 * 32 + 2 * 32 + 2 * 32 + 2 * per_layer + 32 * 32 + 32});
    QVERIFY(bert->tokenizer_present);
    QCOMPARE(bert->tokenizer_files, (std::vector<std::string>{"vocab.txt"}));
    QVERIFY(bert->disk_bytes > 2 * 98040);

    const ModelLibraryEntry* distil = find_entry(entries, "/deep/er/distil");
    QVERIFY(distil && distil->supported);
    QCOMPARE(distil->family, std::string("DistilBERT"));
    QCOMPARE(distil->layers, std::int64_t{3});

    const ModelLibraryEntry* roberta = find_entry(entries, "/snapshots/0123abcd");
    QVERIFY(roberta);
    QVERIFY2(roberta->supported, roberta->reason.c_str());
    QCOMPARE(roberta->source, std::string("hub-cache"));
    QCOMPARE(roberta->repo_id, std::string("org/tiny-roberta"));
    QCOMPARE(roberta->family, std::string("RoBERTa"));
    QCOMPARE(roberta->max_positions, std::int64_t{38});  // 40 minus the padding offset
    QCOMPARE(roberta->tokenizer_files, (std::vector<std::string>{"vocab.json", "merges.txt"}));
    QVERIFY(roberta->disk_bytes > 94840);  // links followed

    QCOMPARE(scan_model_library({(root / "models").string()}, /*include_hub_cache=*/false).size(),
             std::size_t{2});
    QCOMPARE(scan_model_library({(root / "models").string()}, false, /*max_depth=*/8).size(),
             std::size_t{3});
    // The repository folder itself describes its snapshot.
    const ModelLibraryEntry direct = describe_model_folder(repo.string());
    QCOMPARE(direct.repo_id, std::string("org/tiny-roberta"));
    QVERIFY(direct.supported);
    qunsetenv("HF_HOME");
}

void TestModelLibrary::unsupported_folders_say_why() {
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    copy_folder(kFixtures / "tiny_bert", root / "gpt");
    write_text(root / "gpt" / "config.json",
               R"({"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "n_embd": 32,
                   "n_layer": 2, "n_positions": 64, "vocab_size": 100})");
    copy_folder(kFixtures / "tiny_bert", root / "pickle");
    fs::remove(root / "pickle" / "model.safetensors");
    write_text(root / "pickle" / "pytorch_model.bin", "not really");
    copy_folder(kFixtures / "tiny_bert", root / "no_vocab");
    fs::remove(root / "no_vocab" / "vocab.txt");

    const auto entries = scan_model_library({root.string()}, false);
    QCOMPARE(entries.size(), std::size_t{3});
    const ModelLibraryEntry* gpt = find_entry(entries, "/gpt");
    QVERIFY(gpt && !gpt->supported);
    QVERIFY2(gpt->reason.find("decoder-only") != std::string::npos, gpt->reason.c_str());
    QCOMPARE(gpt->model_type, std::string("gpt2"));
    QCOMPARE(gpt->architecture, std::string("GPT2LMHeadModel"));
    QCOMPARE(gpt->hidden_size, std::int64_t{32});
    QCOMPARE(gpt->layers, std::int64_t{2});
    QCOMPARE(gpt->max_positions, std::int64_t{64});
    QVERIFY(gpt->parameter_count > 0);  // from the safetensors header
    QVERIFY(gpt->family.empty());

    const ModelLibraryEntry* pickle = find_entry(entries, "/pickle");
    QVERIFY(pickle && !pickle->supported);
    QVERIFY2(pickle->reason.find("pickle") != std::string::npos, pickle->reason.c_str());
    const ModelLibraryEntry* no_vocab = find_entry(entries, "/no_vocab");
    QVERIFY(no_vocab && !no_vocab->supported && !no_vocab->tokenizer_present);
    QVERIFY2(no_vocab->reason.find("tokenizer") != std::string::npos, no_vocab->reason.c_str());
}

// A Hugging Face model card's front matter states the licence (a value or a list); without a
// card (or without the key) the entry says the licence is not recorded.
void TestModelLibrary::licence_comes_from_the_model_card() {
    QTemporaryDir tmp;
    const fs::path dir = fs::path(tmp.path().toStdString()) / "bert";
    copy_folder(kFixtures / "tiny_bert", dir);
    QVERIFY(describe_model_folder(dir.string()).license.find("not recorded") != std::string::npos);
    write_text(dir / "README.md",
               "---\nlanguage: en\nlicense: apache-2.0\ntags:\n- bert\n---\n# license: mit\n");
    QCOMPARE(describe_model_folder(dir.string()).license, std::string("apache-2.0 (model card)"));
    write_text(dir / "README.md", "---\nlicense:\n  - \"cc-by-4.0\"\n---\n");
    QCOMPARE(describe_model_folder(dir.string()).license, std::string("cc-by-4.0 (model card)"));
    write_text(dir / "README.md", "# A model\nlicense: mit\n");  // no front matter
    QVERIFY(describe_model_folder(dir.string()).license.find("not recorded") != std::string::npos);
}

QTEST_APPLESS_MAIN(TestModelLibrary)
#include "tst_model_library.moc"
