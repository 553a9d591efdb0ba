// The first-token-only last layer (TextEncoder::set_first_token_only, set by TaskModel for CLS
// and pooler heads) gives the full pass's logits and gradients: the other positions of the last
// layer are work no head reads.
#include <torch/torch.h>

#include <QtTest>

#include "model/bert_config.h"
#include "model/encoder_factory.h"
#include "model/task_head.h"
#include "model/task_model.h"

using namespace tb::model;

class TstFirstTokenOnly : public QObject {
    Q_OBJECT

private slots:
    void same_logits_and_gradients_data();
    void same_logits_and_gradients();
    void set_by_the_head();
};

namespace {

BertConfig tiny(const std::string& type) {
    BertConfig c;
    c.model_type = type;
    c.vocab_size = 50;
    c.hidden_size = 16;
    c.num_hidden_layers = 2;
    c.num_attention_heads = 4;
    c.intermediate_size = 32;
    c.max_position_embeddings = 40;
    c.hidden_dropout_prob = 0.0;  // dropout would draw different masks for fewer elements
    c.attention_probs_dropout_prob = 0.0;
    if (type == "roberta") {
        c.pad_token_id = 1;
        c.type_vocab_size = 1;
    }
    return c;
}

TaskModel make_model(const BertConfig& c, Pooling pooling, HeadStyle style) {
    torch::manual_seed(7);
    HeadOptions o;
    o.hidden_size = c.hidden_size;
    o.num_outputs = 3;
    o.pooling = pooling;
    o.style = style;
    o.dropout = 0.0;
    return TaskModel(create_text_encoder(c, pooling == Pooling::Pooler), make_task_head(o));
}

}  // namespace

void TstFirstTokenOnly::same_logits_and_gradients_data() {
    QTest::addColumn<QString>("type");
    QTest::addColumn<int>("pooling");
    QTest::addColumn<int>("style");
    QTest::newRow("bert pooler") << "bert" << int(Pooling::Pooler) << int(HeadStyle::Bert);
    QTest::newRow("bert cls") << "bert" << int(Pooling::Cls) << int(HeadStyle::Bert);
    QTest::newRow("roberta cls") << "roberta" << int(Pooling::Cls) << int(HeadStyle::Roberta);
    QTest::newRow("distilbert cls")
        << "distilbert" << int(Pooling::Cls) << int(HeadStyle::DistilBert);
}

void TstFirstTokenOnly::same_logits_and_gradients() {
    QFETCH(QString, type);
    QFETCH(int, pooling);
    QFETCH(int, style);
    const BertConfig c = tiny(type.toStdString());
    TaskModel fast = make_model(c, Pooling(pooling), HeadStyle(style));
    TaskModel full = make_model(c, Pooling(pooling), HeadStyle(style));  // same seed, same weights
    QVERIFY(fast->encoder().first_token_only());
    full->encoder().set_first_token_only(false);
    fast->train();
    full->train();
    // Padding in the second row: the first token still attends over the real tokens only.
    const auto ids = torch::randint(3, 50, {2, 9}, torch::kLong);
    auto mask = torch::ones({2, 9}, torch::kLong);
    mask[1].narrow(0, 6, 3).fill_(0);
    const auto types = torch::zeros({2, 9}, torch::kLong);
    const auto a = fast->forward(ids, mask, types);
    const auto b = full->forward(ids, mask, types);
    QVERIFY2(torch::allclose(a, b, 1e-5, 1e-6),
             qPrintable(QString("max |diff| %1").arg((a - b).abs().max().item<double>())));
    a.sum().backward();
    b.sum().backward();
    const auto fp = fast->named_parameters();
    const auto bp = full->named_parameters();
    for (const auto& item : fp) {
        const auto& g1 = item.value().grad();
        const auto& g2 = bp[item.key()].grad();
        QCOMPARE(g1.defined(), g2.defined());
        if (!g1.defined())
            continue;
        QVERIFY2(torch::allclose(g1, g2, 1e-4, 1e-6),
                 qPrintable(QString::fromStdString(item.key())));
    }
}

void TstFirstTokenOnly::set_by_the_head() {
    const BertConfig c = tiny("bert");
    QVERIFY(make_model(c, Pooling::Pooler, HeadStyle::Bert)->encoder().first_token_only());
    QVERIFY(!make_model(c, Pooling::Mean, HeadStyle::Bert)->encoder().first_token_only());
    HeadOptions token;
    token.kind = HeadKind::TokenClassification;
    token.hidden_size = c.hidden_size;
    TaskModel tagger(create_text_encoder(c, false), make_task_head(token));
    QVERIFY(!tagger->encoder().first_token_only());
    // Hidden states for every layer switch it off: every position of the last layer is there.
    TaskModel m = make_model(c, Pooling::Cls, HeadStyle::Bert);
    const auto ids = torch::randint(3, 50, {1, 5}, torch::kLong);
    const auto out = m->encoder().encode(ids, torch::ones_like(ids), {}, true);
    QCOMPARE(out.last_hidden_state.size(1), 5L);
    QCOMPARE(m->encoder().encode(ids, torch::ones_like(ids)).last_hidden_state.size(1), 1L);
}

QTEST_APPLESS_MAIN(TstFirstTokenOnly)
#include "tst_first_token_only.moc"
