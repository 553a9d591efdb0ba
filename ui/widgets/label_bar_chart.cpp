// Horizontal bars of how many examples each label has (the Data page's class balance view).
#include "widgets/label_bar_chart.h"

#include <QPainter>

#include <algorithm>

namespace tb::ui {

namespace {
constexpr int kRowGap = 4;
constexpr int kMaxLabelWidth = 140;
}  // namespace

LabelBarChart::LabelBarChart(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void LabelBarChart::setCounts(const QStringList& labels, const QVector<qint64>& counts) {
    m_labels = labels;
    m_counts = counts;
    m_counts.resize(labels.size());
    updateGeometry();
    update();
}

void LabelBarChart::clear() {
    setCounts({}, {});
}

QSize LabelBarChart::sizeHint() const {
    const int rowH = fontMetrics().height() + kRowGap * 2;
    return {320, std::max(2, static_cast<int>(m_labels.size())) * rowH + 8};
}

QSize LabelBarChart::minimumSizeHint() const {
    const int rowH = fontMetrics().height() + kRowGap * 2;
    return {200, std::min(6, std::max(1, static_cast<int>(m_labels.size()))) * rowH + 8};
}

void LabelBarChart::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    const QFontMetrics fm = fontMetrics();
    if (m_labels.isEmpty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("No labels"));
        return;
    }
    qint64 total = 0;
    qint64 maxCount = 1;
    int labelWidth = 0;
    int valueWidth = 0;
    for (int i = 0; i < m_labels.size(); ++i) {
        total += m_counts[i];
        maxCount = std::max(maxCount, m_counts[i]);
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(m_labels[i]));
    }
    // A digit's width of slack: text with glyphs from a fallback font (the en dash of the
    // regression bins' "0.59–1.08") can measure a few pixels narrower than elidedText needs.
    labelWidth = std::min(labelWidth + fm.horizontalAdvance(QLatin1Char('0')), kMaxLabelWidth);
    valueWidth = fm.horizontalAdvance(QStringLiteral("000000 (100.0%)"));
    const int rowH = std::min(fm.height() + kRowGap * 2,
                              std::max(8, (height() - 8) / static_cast<int>(m_labels.size())));
    const int barLeft = 6 + labelWidth + 8;
    const int barMaxW = std::max(10, width() - barLeft - valueWidth - 12);
    for (int i = 0; i < m_labels.size(); ++i) {
        const int y = 4 + i * rowH;
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRect(6, y, labelWidth, rowH), Qt::AlignRight | Qt::AlignVCenter,
                   fm.elidedText(m_labels[i], Qt::ElideRight, labelWidth));
        const int w = static_cast<int>(barMaxW * static_cast<double>(m_counts[i]) / maxCount);
        p.fillRect(QRect(barLeft, y + kRowGap, std::max(1, w), rowH - 2 * kRowGap),
                   QColor(31, 119, 180));
        const double share = total > 0 ? 100.0 * m_counts[i] / total : 0.0;
        p.drawText(QRect(barLeft + w + 6, y, valueWidth + 6, rowH),
                   Qt::AlignLeft | Qt::AlignVCenter,
                   QStringLiteral("%1 (%2%)").arg(m_counts[i]).arg(share, 0, 'f', 1));
    }
}

}  // namespace tb::ui
