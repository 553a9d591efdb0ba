// Confusion matrix as a heatmap: rows = true class, columns = predicted class.
#include "views/confusion_heatmap.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace tb::ui {

namespace {

// White -> deep blue, readable in print and for common colour-vision deficiencies.
QColor shade(double t) {
    t = std::clamp(t, 0.0, 1.0);
    const QColor low(247, 251, 255);
    const QColor high(8, 48, 107);
    auto mix = [t](int a, int b) { return static_cast<int>(a + (b - a) * t + 0.5); };
    return QColor(mix(low.red(), high.red()), mix(low.green(), high.green()),
                  mix(low.blue(), high.blue()));
}

constexpr int kMargin = 8;
constexpr int kMaxCell = 150;  // a 2-class matrix should not fill a whole screen
constexpr int kMaxLabelWidth = 160;

}  // namespace

ConfusionHeatmap::ConfusionHeatmap(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAttribute(Qt::WA_OpaquePaintEvent, false);
}

void ConfusionHeatmap::setMatrix(const QStringList& labels,
                                 const std::vector<std::vector<std::int64_t>>& confusion) {
    m_labels = labels;
    m_confusion = confusion;
    // Defensive: a malformed matrix is padded/truncated to labels x labels.
    const auto n = static_cast<std::size_t>(labels.size());
    m_confusion.resize(n);
    for (auto& row : m_confusion)
        row.resize(n, 0);
    updateGeometry();
    update();
}

void ConfusionHeatmap::clear() {
    setMatrix({}, {});
}

std::int64_t ConfusionHeatmap::cellCount(int trueIndex, int predictedIndex) const {
    if (trueIndex < 0 || predictedIndex < 0 || trueIndex >= classCount() ||
        predictedIndex >= classCount())
        return 0;
    return m_confusion[trueIndex][predictedIndex];
}

double ConfusionHeatmap::rowShare(int trueIndex, int predictedIndex) const {
    if (trueIndex < 0 || trueIndex >= classCount())
        return 0.0;
    std::int64_t total = 0;
    for (std::int64_t v : m_confusion[trueIndex])
        total += v;
    return total > 0 ? static_cast<double>(cellCount(trueIndex, predictedIndex)) / total : 0.0;
}

QSize ConfusionHeatmap::sizeHint() const {
    const int n = std::max(2, classCount());
    const int side = std::clamp(n * 64, 200, 560);
    return {side + 120, side + 90};
}

QSize ConfusionHeatmap::minimumSizeHint() const {
    return {240, 200};
}

void ConfusionHeatmap::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, true);
    p.fillRect(rect(), palette().base());
    const QFontMetrics fm(font());
    const int n = classCount();
    if (n == 0) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("No evaluation yet"));
        return;
    }

    int labelWidth = 0;
    for (const QString& label : m_labels)
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(label));
    labelWidth = std::min(labelWidth, kMaxLabelWidth);
    const int lineH = fm.height();

    // Left: axis title ("true", rotated) + row labels. Bottom: column labels + "predicted".
    const int leftLabels = kMargin + lineH + 6 + labelWidth + 6;
    const int top = kMargin;
    const int availW = width() - leftLabels - kMargin;
    const int availHForCells = height() - top - kMargin - lineH - 6;  // minus "predicted"
    // Column labels go horizontal when they fit in a cell, else rotated 45 degrees.
    int cell = std::max(8, std::min({availW / n, availHForCells / n, kMaxCell}));
    bool rotate = labelWidth + 8 > cell;
    int bottomLabels = rotate ? static_cast<int>(labelWidth * 0.72) + lineH : lineH + 4;
    cell = std::max(8, std::min({availW / n, (availHForCells - bottomLabels) / n, kMaxCell}));
    rotate = labelWidth + 8 > cell;
    bottomLabels = rotate ? static_cast<int>(labelWidth * 0.72) + lineH : lineH + 4;
    const int gridW = cell * n;
    // Centre horizontally in the room left of the labels.
    const int left = leftLabels + std::max(0, (availW - gridW) / 2);
    const QRect grid(left, top, gridW, gridW);

    // Cells.
    QFont countFont = font();
    countFont.setPointSizeF(std::clamp(cell / 4.0, 6.0, font().pointSizeF() * 1.3));
    const QFontMetrics cfm(countFont);
    for (int t = 0; t < n; ++t) {
        for (int pr = 0; pr < n; ++pr) {
            const QRect r(grid.left() + pr * cell, grid.top() + t * cell, cell, cell);
            const double share = rowShare(t, pr);
            const QColor fill = shade(share);
            p.fillRect(r, fill);
            p.setPen(QPen(palette().color(QPalette::Mid), 0.5));
            p.drawRect(r);
            const QString text = QString::number(m_confusion[t][pr]);
            if (cfm.horizontalAdvance(text) + 4 <= cell && cfm.height() <= cell) {
                p.setFont(countFont);
                p.setPen(share > 0.5 ? Qt::white : QColor(20, 20, 20));
                p.drawText(r, Qt::AlignCenter, text);
            }
        }
    }
    p.setFont(font());
    p.setPen(palette().color(QPalette::Text));

    // Row labels (true classes).
    for (int t = 0; t < n; ++t) {
        const QRect r(left - 6 - labelWidth, grid.top() + t * cell, labelWidth, cell);
        p.drawText(r, Qt::AlignRight | Qt::AlignVCenter,
                   fm.elidedText(m_labels[t], Qt::ElideRight, labelWidth));
    }
    // Column labels (predicted classes).
    for (int pr = 0; pr < n; ++pr) {
        const QString text = fm.elidedText(m_labels[pr], Qt::ElideRight, labelWidth);
        const int cx = grid.left() + pr * cell + cell / 2;
        if (!rotate) {
            p.drawText(QRect(cx - cell / 2, grid.bottom() + 4, cell, lineH), Qt::AlignCenter, text);
        } else {
            p.save();
            p.translate(cx, grid.bottom() + 6);
            p.rotate(-45);
            p.drawText(QRect(-fm.horizontalAdvance(text) - 2, -lineH / 2,
                             fm.horizontalAdvance(text) + 2, lineH),
                       Qt::AlignRight | Qt::AlignVCenter, text);
            p.restore();
        }
    }

    // Axis titles.
    QFont titleFont = font();
    titleFont.setBold(true);
    p.setFont(titleFont);
    p.drawText(QRect(grid.left(), grid.bottom() + 4 + bottomLabels, gridW, lineH + 2),
               Qt::AlignCenter, tr("predicted"));
    p.save();
    p.translate(grid.left() - 6 - labelWidth - 6 - lineH, grid.top() + gridW / 2);
    p.rotate(-90);
    p.drawText(QRect(-gridW / 2, 0, gridW, lineH + 2), Qt::AlignCenter, tr("true"));
    p.restore();
}

}  // namespace tb::ui
