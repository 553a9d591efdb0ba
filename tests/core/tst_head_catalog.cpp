// Torch-free parts of the heads work: valid heads per task, label alignment, freeze name rules,
// parameter groups (discriminative / layer-wise learning rates, no decay on bias and LayerNorm).
#include <QtTest>

#include <cmath>
#include <functional>

#include "common/error.h"
#include "model/freezing.h"
#include "model/label_alignment.h"
#include "model/parameter_groups.h"
#include "model/task_catalog.h"

using namespace tb::model;

namespace {

bool throws_error(const std::function<void()>& f) {
    try {
        f();
    } catch (const tb::Error&) {
        return true;
    }
    return false;
}

const ParameterGroup* group_of(const std::vector<ParameterGroup>& groups, const std::string& name) {
    for (const auto& g : groups)
        if (std::find(g.names.begin(), g.names.end(), name) != g.names.end())
            return &g;
    return nullptr;
}

}  // namespace

class TestHeadCatalog : public QObject {
    Q_OBJECT

private slots:
    void every_task_has_its_valid_heads() {
        for (auto task :
             {TaskType::TextClassification, TaskType::SentencePair, TaskType::MultiLabel,
              TaskType::TokenClassification, TaskType::Regression}) {
            QVERIFY(!valid_heads(task).empty());
            QCOMPARE(task_type_from_name(task_type_name(task)), task);
        }
        QVERIFY(is_valid_head(TaskType::TextClassification, HeadKind::SequenceClassification,
                              LossKind::CrossEntropy));
        QVERIFY(is_valid_head(TaskType::SentencePair, HeadKind::SequenceClassification,
                              LossKind::CrossEntropy));
        QVERIFY(is_valid_head(TaskType::MultiLabel, HeadKind::MultiLabel,
                              LossKind::BinaryCrossEntropyWithLogits));
        QVERIFY(is_valid_head(TaskType::TokenClassification, HeadKind::TokenClassification,
                              LossKind::CrossEntropy));
        QVERIFY(
            is_valid_head(TaskType::Regression, HeadKind::Regression, LossKind::MeanSquaredError));
        QVERIFY(!is_valid_head(TaskType::TextClassification, HeadKind::Regression,
                               LossKind::MeanSquaredError));
        QVERIFY(!is_valid_head(TaskType::MultiLabel, HeadKind::MultiLabel, LossKind::CrossEntropy));
        QVERIFY(valid_heads(TaskType::TokenClassification)[0].poolings.empty());
        QVERIFY(throws_error([] {
            validate_head(TaskType::Regression, HeadKind::SequenceClassification,
                          LossKind::CrossEntropy);
        }));
        QVERIFY(throws_error([] { task_type_from_name("ner"); }));
        QCOMPARE(default_head_style("distilbert"), HeadStyle::DistilBert);
        QCOMPARE(default_head_style("roberta"), HeadStyle::Roberta);
        QCOMPARE(default_pooling("bert"), Pooling::Pooler);
        QCOMPARE(default_pooling("roberta"), Pooling::Cls);
    }

    // Hugging Face's recipe: first sub-token labelled, others and specials -100.
    void aligns_word_labels_like_hugging_face() {
        // [CLS] New York ##er is [SEP]  -> words: New(0) Yorker(1) is(2)
        const std::vector<int> word_ids{-1, 0, 1, 1, 2, -1};
        const std::vector<std::int64_t> tags{3, 4, 0};
        const std::vector<std::int64_t> expected{-100, 3, 4, -100, 0, -100};
        QCOMPARE(align_word_labels(word_ids, tags), expected);
        const std::vector<std::int64_t> all{-100, 3, 4, 4, 0, -100};
        QCOMPARE(align_word_labels(word_ids, tags, /*label_all_tokens=*/true), all);
        // Truncation: word 2 has no token; padding is -1 as well.
        const std::vector<int> truncated{-1, 0, 1, 1, -1, -1, -1};
        const std::vector<std::int64_t> t_expected{-100, 3, 4, -100, -100, -100, -100};
        QCOMPARE(align_word_labels(truncated, tags), t_expected);
        QVERIFY(throws_error([&] { align_word_labels({-1, 0, 3}, tags); }));
        QVERIFY(throws_error([&] { align_word_labels({-2}, tags); }));
    }

    void maps_token_predictions_back_to_words() {
        const std::vector<int> word_ids{-1, 0, 1, 1, 2, -1};
        const std::vector<std::int64_t> token_predictions{7, 3, 4, 9, 0, 7};
        const std::vector<std::int64_t> expected{3, 4, 0};
        QCOMPARE(word_predictions(word_ids, token_predictions, 3), expected);
        // A word with no token (truncated) gets `missing`.
        const std::vector<std::int64_t> missing{3, 4, 0, -1};
        QCOMPARE(word_predictions(word_ids, token_predictions, 4), missing);
        QVERIFY(throws_error([&] { word_predictions(word_ids, {1, 2}, 3); }));
        QVERIFY(throws_error([&] { word_predictions(word_ids, token_predictions, 2); }));
        // Round trip: aligning then mapping back gives the word labels.
        const std::vector<std::int64_t> tags{5, 6, 1};
        auto aligned = align_word_labels(word_ids, tags, /*label_all_tokens=*/true);
        QCOMPARE(word_predictions(word_ids, aligned, 3), tags);
    }

    void freeze_rules_cover_bert_roberta_distilbert() {
        QCOMPARE(encoder_layer_index("bert.encoder.layer.11.attention.self.query.weight"),
                 std::optional<int>(11));
        QCOMPARE(encoder_layer_index("encoder.layer.0.output.dense.bias"), std::optional<int>(0));
        QCOMPARE(encoder_layer_index("roberta.encoder.layer.3.output.LayerNorm.weight"),
                 std::optional<int>(3));
        QCOMPARE(encoder_layer_index("distilbert.transformer.layer.5.ffn.lin1.weight"),
                 std::optional<int>(5));
        QCOMPARE(encoder_layer_index("transformer.layer.2.sa_layer_norm.weight"),
                 std::optional<int>(2));
        QVERIFY(!encoder_layer_index("classifier.weight"));
        QVERIFY(!encoder_layer_index("bert.pooler.dense.weight"));
        QVERIFY(!encoder_layer_index("encoder.layerx.1.weight"));
        QVERIFY(is_embedding_parameter("embeddings.word_embeddings.weight"));
        QVERIFY(is_embedding_parameter("distilbert.embeddings.position_embeddings.weight"));
        QVERIFY(!is_embedding_parameter("word_embeddings_proj.weight"));
        QVERIFY(!is_embedding_parameter("encoder.layer.0.output.dense.weight"));

        const FreezeOptions options{/*embeddings=*/true, /*first_layers=*/2};
        QVERIFY(is_frozen("bert.embeddings.LayerNorm.bias", options));
        QVERIFY(is_frozen("bert.encoder.layer.1.output.dense.weight", options));
        QVERIFY(!is_frozen("bert.encoder.layer.2.output.dense.weight", options));
        QVERIFY(!is_frozen("bert.pooler.dense.weight", options));
        QVERIFY(!is_frozen("classifier.weight", options));

        const std::vector<ParameterInfo> infos{{"embeddings.word_embeddings.weight", 100},
                                               {"encoder.layer.0.a.weight", 10},
                                               {"encoder.layer.1.a.weight", 10},
                                               {"encoder.layer.2.a.weight", 10},
                                               {"classifier.weight", 5}};
        const auto counts = count_parameters(infos, FreezeOptions{true, 1});
        QCOMPARE(counts.total, std::int64_t(135));
        QCOMPARE(counts.trainable, std::int64_t(25));
        QCOMPARE(counts.num_layers, 3);
        QCOMPARE(count_parameters(infos, FreezeOptions{}).trainable, std::int64_t(135));
    }

    void parameter_groups_split_decay_and_learning_rates() {
        const std::vector<std::string> names{"bert.embeddings.word_embeddings.weight",
                                             "bert.embeddings.LayerNorm.weight",
                                             "bert.encoder.layer.0.attention.self.query.weight",
                                             "bert.encoder.layer.0.attention.self.query.bias",
                                             "bert.encoder.layer.1.output.dense.weight",
                                             "bert.encoder.layer.1.output.LayerNorm.bias",
                                             "bert.pooler.dense.weight",
                                             "classifier.weight",
                                             "classifier.bias"};
        // Defaults: two groups, exactly the classic BERT split.
        ParameterGroupOptions plain;
        plain.weight_decay = 0.01;
        const auto two = make_parameter_groups(names, plain);
        QCOMPARE(two.size(), std::size_t(2));
        QCOMPARE(two[0].weight_decay, 0.01);
        QCOMPARE(two[1].weight_decay, 0.0);
        QCOMPARE(two[0].lr_multiplier, 1.0);
        QCOMPARE(group_of(two, "bert.embeddings.LayerNorm.weight")->weight_decay, 0.0);
        QCOMPARE(group_of(two, "classifier.bias")->weight_decay, 0.0);
        QCOMPARE(group_of(two, "classifier.weight")->weight_decay, 0.01);

        // Layer-wise decay 0.5 over 2 layers, head x10, encoder x1.
        ParameterGroupOptions llrd;
        llrd.layer_decay = 0.5;
        llrd.head_lr_multiplier = 10.0;
        const auto groups = make_parameter_groups(names, llrd);
        QCOMPARE(group_of(groups, "classifier.weight")->lr_multiplier, 10.0);
        QCOMPARE(group_of(groups, "bert.pooler.dense.weight")->lr_multiplier, 1.0);
        QCOMPARE(group_of(groups, "bert.encoder.layer.1.output.dense.weight")->lr_multiplier, 1.0);
        QCOMPARE(
            group_of(groups, "bert.encoder.layer.0.attention.self.query.weight")->lr_multiplier,
            0.5);
        QCOMPARE(group_of(groups, "bert.encoder.layer.0.attention.self.query.bias")->weight_decay,
                 0.0);
        QCOMPARE(group_of(groups, "bert.embeddings.word_embeddings.weight")->lr_multiplier, 0.25);
        std::size_t total = 0;
        for (const auto& g : groups)
            total += g.names.size();
        QCOMPARE(total, names.size());

        // Discriminative: encoder x0.1; num_layers given explicitly (12) deepens the decay.
        ParameterGroupOptions disc;
        disc.encoder_lr_multiplier = 0.1;
        disc.layer_decay = 0.9;
        disc.num_layers = 12;
        QVERIFY(std::fabs(lr_multiplier_for("bert.encoder.layer.0.x.weight", disc, 12) -
                          0.1 * std::pow(0.9, 11)) < 1e-15);
        QVERIFY(std::fabs(lr_multiplier_for("bert.embeddings.x.weight", disc, 12) -
                          0.1 * std::pow(0.9, 12)) < 1e-15);
        QCOMPARE(lr_multiplier_for("pre_classifier.weight", disc, 12), 1.0);

        // DistilBERT names.
        QVERIFY(excluded_from_weight_decay("distilbert.transformer.layer.0.sa_layer_norm.weight"));
        QVERIFY(excluded_from_weight_decay("distilbert.transformer.layer.0.ffn.lin1.bias"));
        QVERIFY(!excluded_from_weight_decay("distilbert.transformer.layer.0.ffn.lin1.weight"));

        ParameterGroupOptions bad;
        bad.layer_decay = 0.0;
        QVERIFY(throws_error([&] { make_parameter_groups(names, bad); }));
        QVERIFY(throws_error([&] { make_parameter_groups({"a", "a"}, plain); }));
    }
};

QTEST_MAIN(TestHeadCatalog)
#include "tst_head_catalog.moc"
