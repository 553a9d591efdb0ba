// The `tunebench-cli pretrain` command line that repeats a pretraining run's options.
#include "pretrain/pretrain_command_line.h"

#include <QFileInfo>
#include <QRegularExpression>

namespace tb::ui {

namespace {

QString number(double value) {
    return QString::number(value, 'g', 10);
}

// The text column matters only for table files (see read_corpus_texts).
bool hasTableFile(const std::vector<std::string>& files) {
    for (const auto& file : files) {
        const QString suffix = QFileInfo(QString::fromStdString(file)).suffix().toLower();
        if (suffix == QLatin1String("csv") || suffix == QLatin1String("tsv") ||
            suffix == QLatin1String("jsonl"))
            return true;
    }
    return false;
}

}  // namespace

QStringList pretrainArguments(const tb::pretrain::PretrainOptions& o) {
    const tb::pretrain::PretrainOptions defaults;
    QStringList args{QStringLiteral("pretrain")};
    for (const auto& file : o.corpus_files)
        args << QString::fromStdString(file);
    args << QStringLiteral("--out") << QString::fromStdString(o.out_dir);
    if (hasTableFile(o.corpus_files) || o.text_column != defaults.text_column)
        args << QStringLiteral("--text-column") << QString::fromStdString(o.text_column);
    if (!o.from_dir.empty()) {
        args << QStringLiteral("--from") << QString::fromStdString(o.from_dir);
    } else {
        args << QStringLiteral("--vocab-size") << QString::number(o.vocab_size)
             << QStringLiteral("--min-frequency") << QString::number(o.min_frequency)
             << QStringLiteral("--limit-alphabet") << QString::number(o.limit_alphabet);
        if (!o.lowercase)
            args << QStringLiteral("--cased");
        args << QStringLiteral("--layers") << QString::number(o.layers)
             << QStringLiteral("--hidden") << QString::number(o.hidden) << QStringLiteral("--heads")
             << QString::number(o.heads) << QStringLiteral("--intermediate")
             << QString::number(o.intermediate);
    }
    args << QStringLiteral("--max-length") << QString::number(o.max_length);
    if (o.steps > 0)
        args << QStringLiteral("--steps") << QString::number(o.steps);
    else
        args << QStringLiteral("--epochs") << QString::number(o.epochs);
    args << QStringLiteral("--batch-size") << QString::number(o.batch_size)
         << QStringLiteral("--lr") << number(o.learning_rate) << QStringLiteral("--warmup-ratio")
         << number(o.warmup_ratio) << QStringLiteral("--weight-decay") << number(o.weight_decay)
         << QStringLiteral("--mask-probability") << number(o.masking.mask_probability);
    if (o.masking.whole_word)
        args << QStringLiteral("--whole-word-mask");
    args << QStringLiteral("--seed") << QString::number(o.seed) << QStringLiteral("--device")
         << QString::fromStdString(o.device) << QStringLiteral("--log-every")
         << QString::number(o.log_every);
    if (o.init_only)
        args << QStringLiteral("--init-only");
    return args;
}

QString shellCommandLine(const QString& program, const QStringList& arguments) {
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_@%+=:,./-]+$"));
    QStringList parts;
    for (const QString& arg : QStringList{program} + arguments) {
        if (plain.match(arg).hasMatch()) {
            parts << arg;
        } else {
            QString quoted = arg;
            quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
            parts << QLatin1Char('\'') + quoted + QLatin1Char('\'');
        }
    }
    return parts.join(QLatin1Char(' '));
}

}  // namespace tb::ui
