// Safetensors reader/writer: round trips for every dtype, layout, and each malformed-file error.
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "model/safetensors.h"

using namespace tb;
using namespace tb::model;

namespace {

TensorBlob make_blob(const std::string& name, DType dtype, std::vector<std::int64_t> shape) {
    TensorBlob blob;
    blob.name = name;
    blob.dtype = dtype;
    blob.shape = std::move(shape);
    blob.bytes.resize(static_cast<std::size_t>(blob.numel()) * dtype_size(dtype));
    for (std::size_t i = 0; i < blob.bytes.size(); ++i)
        blob.bytes[i] = static_cast<std::byte>((i * 37 + name.size() * 11) & 0xff);
    return blob;
}

std::string le64(std::uint64_t v) {
    std::string out(8, '\0');
    for (int i = 0; i < 8; ++i)
        out[i] = static_cast<char>((v >> (8 * i)) & 0xff);
    return out;
}

// A file with a hand-written header: length field, header text, `data_bytes` zero bytes.
std::string write_raw(const QTemporaryDir& dir, const std::string& header, std::size_t data_bytes,
                      std::int64_t length_override = -1) {
    const std::string path = dir.path().toStdString() + "/raw.safetensors";
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    const std::uint64_t len =
        length_override >= 0 ? static_cast<std::uint64_t>(length_override) : header.size();
    out << le64(len) << header << std::string(data_bytes, '\0');
    return path;
}

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Opening must fail with tb::Error whose message names the file, the tensor (as key) and
// contains `fragment`.
void expect_open_error(const std::string& path, const std::string& tensor,
                       const std::string& fragment) {
    try {
        SafetensorsFile::open(path);
        QFAIL(("no error for a file that should fail with: " + fragment).c_str());
    } catch (const Error& e) {
        const std::string what = e.what();
        QVERIFY2(what.find(path) != std::string::npos, what.c_str());
        QVERIFY2(what.find(fragment) != std::string::npos, what.c_str());
        QCOMPARE(e.where().file, path);
        QCOMPARE(e.where().key, tensor);
    }
}

}  // namespace

class TestSafetensors : public QObject {
    Q_OBJECT

private slots:
    void round_trip_every_dtype();
    void layout_is_aligned_and_name_ordered();
    void empty_and_scalar_tensors();
    void reads_file_written_by_python();
    void overwrite_is_atomic_and_leaves_no_temp();
    void writer_rejects_bad_blobs();
    void read_unknown_name_is_error();
    void truncated_after_open_is_error();

    void too_short_for_length();
    void header_length_beyond_file();
    void invalid_json();
    void non_object_header();
    void unknown_dtype();
    void negative_dimension();
    void size_mismatch();
    void offsets_outside_data();
    void reversed_offsets();
    void overlapping_regions();
    void duplicate_names();
    void bad_metadata();
    void missing_fields();
};

void TestSafetensors::round_trip_every_dtype() {
    QTemporaryDir dir;
    const std::vector<DType> all = {DType::F64, DType::F32, DType::F16, DType::BF16, DType::I64,
                                    DType::I32, DType::I16, DType::I8,  DType::U8,   DType::Bool};
    std::vector<TensorBlob> blobs;
    for (DType d : all) {
        auto blob = make_blob("t_" + dtype_name(d), d, {3, 5});
        if (d == DType::Bool)
            for (std::size_t i = 0; i < blob.bytes.size(); ++i)
                blob.bytes[i] = std::byte(i % 2);
        blobs.push_back(blob);
    }
    const std::string path = dir.path().toStdString() + "/all.safetensors";
    write_safetensors(path, blobs, {{"format", "pt"}, {"note", "héllo"}});

    auto file = SafetensorsFile::open(path);
    QCOMPARE(file.entries().size(), all.size());
    QCOMPARE(file.metadata().at("format"), std::string("pt"));
    QCOMPARE(file.metadata().at("note"), std::string("héllo"));
    for (const auto& original : blobs) {
        const SafetensorsEntry* entry = file.find(original.name);
        QVERIFY(entry);
        QCOMPARE(entry->dtype, original.dtype);
        QCOMPARE(entry->shape, original.shape);
        TensorBlob back = file.read(original.name);
        QCOMPARE(back.name, original.name);
        QCOMPARE(back.dtype, original.dtype);
        QCOMPARE(back.shape, original.shape);
        QVERIFY(back.bytes == original.bytes);
    }
    for (std::size_t i = 1; i < file.entries().size(); ++i)
        QVERIFY(file.entries()[i - 1].name < file.entries()[i].name);
}

void TestSafetensors::layout_is_aligned_and_name_ordered() {
    QTemporaryDir dir;
    const std::string path = dir.path().toStdString() + "/l.safetensors";
    // Given out of order, with a 1-byte tensor first to force padding questions.
    write_safetensors(path, {make_blob("zeta", DType::F32, {2}), make_blob("alpha", DType::U8, {3}),
                             make_blob("mid", DType::F16, {1, 2})});
    const std::string raw = read_all(path);
    std::uint64_t header_len = 0;
    for (int i = 7; i >= 0; --i)
        header_len = (header_len << 8) | static_cast<unsigned char>(raw[i]);
    QCOMPARE(header_len % 8, std::uint64_t(0));
    const std::string header = raw.substr(8, header_len);
    QVERIFY(header.find_last_not_of(' ') < header.size());
    QCOMPARE(raw.size(), std::size_t(8 + header_len + 3 + 4 + 8));

    auto file = SafetensorsFile::open(path);
    const auto* alpha = file.find("alpha");
    const auto* mid = file.find("mid");
    const auto* zeta = file.find("zeta");
    QCOMPARE(alpha->begin, std::uint64_t(0));
    QCOMPARE(alpha->end, std::uint64_t(3));
    QCOMPARE(mid->begin, std::uint64_t(3));
    QCOMPARE(zeta->begin, std::uint64_t(7));
    QCOMPARE(zeta->end, std::uint64_t(15));
    // The data section holds the tensors back to back in name order.
    const auto zeta_blob = make_blob("zeta", DType::F32, {2});
    QCOMPARE(std::memcmp(raw.data() + 8 + header_len + 7, zeta_blob.bytes.data(), 8), 0);
}

void TestSafetensors::empty_and_scalar_tensors() {
    QTemporaryDir dir;
    const std::string path = dir.path().toStdString() + "/e.safetensors";
    write_safetensors(path, {make_blob("empty", DType::F32, {0, 4}),
                             make_blob("scalar", DType::I64, {}), make_blob("x", DType::F32, {2})});
    auto file = SafetensorsFile::open(path);
    QCOMPARE(file.read("empty").bytes.size(), std::size_t(0));
    QCOMPARE(file.read("empty").shape, (std::vector<std::int64_t>{0, 4}));
    QCOMPARE(file.read("scalar").bytes.size(), std::size_t(8));
    QVERIFY(file.read("scalar").shape.empty());
    QVERIFY(file.metadata().empty());
}

void TestSafetensors::reads_file_written_by_python() {
    // Written by tests/reference/model/bert_reference.py with json + numpy only.
    auto file = SafetensorsFile::open(TB_FIXTURES_DIR "/model/tiny_bert/model.safetensors");
    QCOMPARE(file.metadata().at("format"), std::string("pt"));
    const auto* word = file.find("embeddings.word_embeddings.weight");
    QVERIFY(word);
    QCOMPARE(word->dtype, DType::F32);
    QCOMPARE(word->shape, (std::vector<std::int64_t>{100, 32}));
    TensorBlob blob = file.read("embeddings.word_embeddings.weight");
    // Row 0 is the [PAD] row, zeroed by the generator; row 1 is not.
    std::vector<float> values(static_cast<std::size_t>(blob.numel()));
    std::memcpy(values.data(), blob.bytes.data(), blob.bytes.size());
    for (int i = 0; i < 32; ++i)
        QCOMPARE(values[i], 0.0f);
    bool any_nonzero = false;
    for (int i = 32; i < 64; ++i)
        any_nonzero |= values[i] != 0.0f;
    QVERIFY(any_nonzero);
    QCOMPARE(file.entries().size(), std::size_t(5 + 2 * 16 + 2));
}

void TestSafetensors::overwrite_is_atomic_and_leaves_no_temp() {
    QTemporaryDir dir;
    const std::string path = dir.path().toStdString() + "/w.safetensors";
    write_safetensors(path, {make_blob("a", DType::F32, {4})});
    write_safetensors(path, {make_blob("b", DType::F64, {2})});
    auto file = SafetensorsFile::open(path);
    QVERIFY(!file.find("a"));
    QVERIFY(file.find("b"));
    QVERIFY(!std::filesystem::exists(path + ".tmp"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);
}

void TestSafetensors::writer_rejects_bad_blobs() {
    QTemporaryDir dir;
    const std::string path = dir.path().toStdString() + "/bad.safetensors";
    auto wrong_size = make_blob("w", DType::F32, {4});
    wrong_size.bytes.pop_back();
    QVERIFY_THROWS_EXCEPTION(Error, write_safetensors(path, {wrong_size}));
    QVERIFY_THROWS_EXCEPTION(Error, write_safetensors(path, {make_blob("d", DType::U8, {1}),
                                                             make_blob("d", DType::U8, {1})}));
    QVERIFY_THROWS_EXCEPTION(Error,
                             write_safetensors(path, {make_blob("__metadata__", DType::U8, {1})}));
    auto negative = make_blob("n", DType::U8, {1});
    negative.shape = {-1};
    QVERIFY_THROWS_EXCEPTION(Error, write_safetensors(path, {negative}));
    QVERIFY(!std::filesystem::exists(path));
    QVERIFY(!std::filesystem::exists(path + ".tmp"));
    QVERIFY_THROWS_EXCEPTION(Error, write_safetensors(dir.path().toStdString() + "/no/such/dir/x",
                                                      {make_blob("a", DType::U8, {1})}));
}

void TestSafetensors::read_unknown_name_is_error() {
    QTemporaryDir dir;
    const std::string path = dir.path().toStdString() + "/r.safetensors";
    write_safetensors(path, {make_blob("a", DType::F32, {4})});
    auto file = SafetensorsFile::open(path);
    QVERIFY(file.find("b") == nullptr);
    try {
        file.read("b");
        QFAIL("no error");
    } catch (const Error& e) {
        QCOMPARE(e.where().key, std::string("b"));
        QCOMPARE(e.where().file, path);
    }
}

void TestSafetensors::truncated_after_open_is_error() {
    QTemporaryDir dir;
    const std::string path = dir.path().toStdString() + "/t.safetensors";
    write_safetensors(path, {make_blob("a", DType::F32, {4}), make_blob("b", DType::F32, {64})});
    auto file = SafetensorsFile::open(path);
    std::filesystem::resize_file(path, std::filesystem::file_size(path) - 10);
    QVERIFY(file.read("a").bytes.size() == 16);
    try {
        file.read("b");
        QFAIL("no error");
    } catch (const Error& e) {
        QCOMPARE(e.where().key, std::string("b"));
        QVERIFY2(std::string(e.what()).find("truncated") != std::string::npos, e.what());
    }
    // Reopening sees the damage at once.
    expect_open_error(path, "b", "outside the data section");
}

void TestSafetensors::too_short_for_length() {
    QTemporaryDir dir;
    const std::string path = dir.path().toStdString() + "/short.safetensors";
    std::ofstream(path, std::ios::binary) << "abc";
    expect_open_error(path, "", "truncated");
}

void TestSafetensors::header_length_beyond_file() {
    QTemporaryDir dir;
    const std::string header = R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})";
    expect_open_error(write_raw(dir, header, 4, /*length_override=*/100000), "",
                      "exceeds the file size");
    // A huge length must not be trusted for an allocation either.
    expect_open_error(write_raw(dir, header, 4, /*length_override=*/std::int64_t(1) << 60), "",
                      "exceeds the file size");
}

void TestSafetensors::invalid_json() {
    QTemporaryDir dir;
    expect_open_error(write_raw(dir, R"({"a":{"dtype":)", 0), "", "not valid JSON");
}

void TestSafetensors::non_object_header() {
    QTemporaryDir dir;
    expect_open_error(write_raw(dir, "[1, 2, 3]", 0), "", "must be a JSON object");
    expect_open_error(write_raw(dir, R"({"a": 5})", 0), "a", "must be an object");
}

void TestSafetensors::unknown_dtype() {
    QTemporaryDir dir;
    expect_open_error(
        write_raw(dir, R"({"w":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}})", 1), "w",
        "F8_E4M3");
}

void TestSafetensors::negative_dimension() {
    QTemporaryDir dir;
    expect_open_error(
        write_raw(dir, R"({"w":{"dtype":"F32","shape":[2,-1],"data_offsets":[0,0]}})", 0), "w",
        "negative dimension");
}

void TestSafetensors::size_mismatch() {
    QTemporaryDir dir;
    expect_open_error(
        write_raw(dir, R"({"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}})", 24), "w",
        "needs 24");
    // A shape whose byte size overflows 64 bits.
    expect_open_error(
        write_raw(dir,
                  R"({"w":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,8]}})",
                  8),
        "w", "too large");
}

void TestSafetensors::offsets_outside_data() {
    QTemporaryDir dir;
    // Header says 16 bytes of data; the file holds 12 (truncated download).
    expect_open_error(
        write_raw(dir, R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", 12), "w",
        "outside the data section");
}

void TestSafetensors::reversed_offsets() {
    QTemporaryDir dir;
    expect_open_error(
        write_raw(dir, R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}})", 8), "w",
        "end before they begin");
}

void TestSafetensors::overlapping_regions() {
    QTemporaryDir dir;
    expect_open_error(write_raw(dir,
                                R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                                12),
                      "b", "overlaps that of 'a'");
}

void TestSafetensors::duplicate_names() {
    QTemporaryDir dir;
    expect_open_error(write_raw(dir,
                                R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                                R"("a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                                8),
                      "a", "appears twice");
}

void TestSafetensors::bad_metadata() {
    QTemporaryDir dir;
    expect_open_error(write_raw(dir, R"({"__metadata__":{"format":1}})", 0), "__metadata__.format",
                      "must be strings");
    expect_open_error(write_raw(dir, R"({"__metadata__":[1]})", 0), "", "__metadata__");
}

void TestSafetensors::missing_fields() {
    QTemporaryDir dir;
    expect_open_error(write_raw(dir, R"({"w":{"shape":[1],"data_offsets":[0,4]}})", 4), "w",
                      "dtype");
    expect_open_error(write_raw(dir, R"({"w":{"dtype":"F32","data_offsets":[0,4]}})", 4), "w",
                      "shape");
    expect_open_error(write_raw(dir, R"({"w":{"dtype":"F32","shape":[1]}})", 4), "w",
                      "data_offsets");
    expect_open_error(
        write_raw(dir, R"({"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}})", 4), "w",
        "integers");
}

QTEST_APPLESS_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
