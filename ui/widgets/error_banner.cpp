// A red message strip shown above a page's content for a fatal problem (hidden when empty).
#include "widgets/error_banner.h"

#include <QHBoxLayout>
#include <QLabel>

namespace tb::ui {

ErrorBanner::ErrorBanner(QWidget* parent) : QFrame(parent), m_label(new QLabel(this)) {
    setObjectName(QStringLiteral("errorBanner"));
    setStyleSheet(QStringLiteral(
        "#errorBanner { background: #fdecea; border: 1px solid #d93025; border-radius: 4px; }"
        "#errorBanner QLabel { color: #a50e0e; }"));
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_label->setTextFormat(Qt::RichText);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->addWidget(m_label, 1);
    hide();
}

void ErrorBanner::showMessage(const QString& title, const QString& detail) {
    if (title.isEmpty() && detail.isEmpty()) {
        clearMessage();
        return;
    }
    QString html = QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped());
    if (!detail.isEmpty())
        html += QStringLiteral("<br>") + detail.toHtmlEscaped();
    m_label->setText(html);
    m_plain = detail.isEmpty() ? title : title + QLatin1Char('\n') + detail;
    show();
}

void ErrorBanner::clearMessage() {
    m_label->clear();
    m_plain.clear();
    hide();
}

QString ErrorBanner::text() const {
    return m_plain;
}

}  // namespace tb::ui
