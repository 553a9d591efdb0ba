// Parameter counts from safetensors headers: totals, freezing and grouping agree with the BERT
// parameter formula for the tiny_bert fixture (config.json: V=100, H=32, P=64, T=2, I=64, L=2).
#include <QtTest>

#include "common/error.h"
#include "model/parameter_census.h"

using namespace tb::model;

namespace {

constexpr std::int64_t V = 100, H = 32, P = 64, T = 2, I = 64, L = 2;
// word + position + token type embeddings, LayerNorm weight and bias.
constexpr std::int64_t kEmbeddings = V * H + P * H + T * H + 2 * H;
// q, k, v, attention output (each H*H + H), LayerNorm, intermediate, output, LayerNorm.
constexpr std::int64_t kLayer = 4 * (H * H + H) + 2 * H + (H * I + I) + (I * H + H) + 2 * H;
constexpr std::int64_t kPooler = H * H + H;

std::vector<StoredTensor> tiny_bert() {
    return stored_tensors({std::string(TB_FIXTURES_DIR) + "/model/tiny_bert/model.safetensors"});
}

}  // namespace

class TestParameterCensus : public QObject {
    Q_OBJECT

private slots:
    void totalMatchesFormula() {
        const auto counts = count_parameters(parameter_infos(tiny_bert()), FreezeOptions{});
        QCOMPARE(counts.total, kEmbeddings + L * kLayer + kPooler);
        QCOMPARE(counts.trainable, counts.total);
        QCOMPARE(counts.num_layers, 2);
    }

    void freezingRemovesExactlyTheFrozenTensors() {
        const auto infos = parameter_infos(tiny_bert());
        const std::int64_t total = kEmbeddings + L * kLayer + kPooler;
        QCOMPARE(count_parameters(infos, FreezeOptions{true, 0}).trainable, total - kEmbeddings);
        QCOMPARE(count_parameters(infos, FreezeOptions{false, 1}).trainable, total - kLayer);
        QCOMPARE(count_parameters(infos, FreezeOptions{true, 2}).trainable, kPooler);
    }

    void groupsFollowTheArchitecture() {
        const auto groups = group_tensors(tiny_bert());
        QCOMPARE(groups.size(), std::size_t(4));
        QCOMPARE(QString::fromStdString(groups[0].name), QStringLiteral("embeddings"));
        QCOMPARE(groups[0].numel, kEmbeddings);
        QCOMPARE(QString::fromStdString(groups[1].name), QStringLiteral("layer 0"));
        QCOMPARE(groups[1].numel, kLayer);
        QCOMPARE(groups[2].numel, kLayer);
        QCOMPARE(QString::fromStdString(groups[3].name), QStringLiteral("pooler"));
        QCOMPARE(groups[3].numel, kPooler);
        const auto& word = groups[0].tensors.back();
        QCOMPARE(QString::fromStdString(word.name),
                 QStringLiteral("embeddings.word_embeddings.weight"));
        QCOMPARE(word.shape, (std::vector<std::int64_t>{V, H}));
    }

    void badFileIsAnError() {
        QVERIFY_THROWS_EXCEPTION(tb::Error, stored_tensors({std::string(TB_FIXTURES_DIR) +
                                                            "/model/tiny_bert/config.json"}));
    }
};

QTEST_GUILESS_MAIN(TestParameterCensus)
#include "tst_parameter_census.moc"
