// Token-classification sentences as text with entity spans coloured by type (NER preview), or
// word/TAG pairs for plain tag sets such as part-of-speech tags.
#include "views/token_sentence_view.h"

#include <QColor>

namespace tb::ui {

namespace {

// Soft backgrounds readable with black text.
const QColor kPalette[] = {QColor(0xfd, 0xd6, 0x63), QColor(0xa8, 0xda, 0xb5),
                           QColor(0xae, 0xcb, 0xfa), QColor(0xf6, 0xae, 0xa9),
                           QColor(0xd7, 0xae, 0xfb), QColor(0xfd, 0xcf, 0xe8),
                           QColor(0xa1, 0xe4, 0xf2), QColor(0xe6, 0xc9, 0xa8)};

QString chunkType(const QString& tag) {
    if (tag.size() > 2 && tag[1] == QLatin1Char('-'))
        return tag.mid(2);
    return {};
}

}  // namespace

TokenSentenceView::TokenSentenceView(QWidget* parent) : QTextBrowser(parent) {
    setOpenLinks(false);
}

QColor TokenSentenceView::colorForType(const QString& type) {
    return kPalette[qHash(type) % (sizeof(kPalette) / sizeof(kPalette[0]))];
}

void TokenSentenceView::clearDataset() {
    clear();
    m_shown = 0;
    m_types.clear();
}

void TokenSentenceView::setDataset(const tb::data::TokenDataset& dataset, int maxSentences) {
    m_types.clear();
    const bool chunked = dataset.scheme != tb::data::TagScheme::Plain;
    if (chunked)
        for (const auto& name : dataset.tags.names()) {
            const QString type = chunkType(QString::fromStdString(name));
            if (!type.isEmpty() && !m_types.contains(type))
                m_types << type;
        }
    QString html;
    if (!m_types.isEmpty()) {
        html += tr("<p><b>Entity types:</b> ");
        for (const QString& type : m_types)
            html += QStringLiteral("<span style=\"background:%1\">&nbsp;%2&nbsp;</span> ")
                        .arg(colorForType(type).name(), type.toHtmlEscaped());
        html += QStringLiteral("</p>");
    }
    m_shown = std::min<int>(maxSentences, static_cast<int>(dataset.sentences.size()));
    for (int s = 0; s < m_shown; ++s) {
        const auto& sentence = dataset.sentences[std::size_t(s)];
        html += QStringLiteral(
                    "<p><a name=\"%1\"></a><span style=\"color:#80868b\">%1</span>"
                    "&nbsp; ")
                    .arg(sentence.line);
        std::size_t i = 0;
        while (i < sentence.tokens.size()) {
            const QString tag = QString::fromStdString(dataset.tags.name(sentence.tags[i]));
            const QString type = chunked ? chunkType(tag) : QString();
            if (type.isEmpty()) {
                html += QString::fromStdString(sentence.tokens[i]).toHtmlEscaped();
                if (!chunked && tag != QLatin1String("O"))
                    html += QStringLiteral("<sub style=\"color:#1a73e8\">%1</sub>")
                                .arg(tag.toHtmlEscaped());
                html += QLatin1Char(' ');
                ++i;
                continue;
            }
            // A chunk: this B-/I-/S- token and the I-/E- tokens of the same type after it
            // (tags are BIO after import, so a new B- starts a new chunk).
            QString words = QString::fromStdString(sentence.tokens[i]).toHtmlEscaped();
            std::size_t j = i + 1;
            while (j < sentence.tokens.size()) {
                const QString next = QString::fromStdString(dataset.tags.name(sentence.tags[j]));
                if (chunkType(next) != type || next.startsWith(QLatin1String("B-")) ||
                    next.startsWith(QLatin1String("S-")))
                    break;
                words +=
                    QLatin1Char(' ') + QString::fromStdString(sentence.tokens[j]).toHtmlEscaped();
                ++j;
            }
            html += QStringLiteral(
                        "<span style=\"background:%1\">&nbsp;%2 "
                        "<b style=\"font-size:small\">%3</b>&nbsp;</span> ")
                        .arg(colorForType(type).name(), words, type.toHtmlEscaped());
            i = j;
        }
        html += QStringLiteral("</p>");
    }
    setHtml(html);
}

}  // namespace tb::ui
