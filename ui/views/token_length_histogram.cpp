// Histogram of example lengths in tokens (the chosen model's tokenizer), with the max_length
// cut-off drawn and the bars past it (examples that will be truncated) in another colour.
#include "views/token_length_histogram.h"

#include <QVBoxLayout>

#include <qcustomplot.h>
#include <algorithm>
#include <cmath>

namespace tb::ui {

namespace {
constexpr int kTargetBins = 32;

// 1, 2, 5, 10, 20, 50, ... at least `raw`.
int niceWidth(double raw) {
    double base = 1;
    while (true) {
        for (double f : {1.0, 2.0, 5.0})
            if (base * f >= raw)
                return static_cast<int>(base * f);
        base *= 10;
    }
}
}  // namespace

TokenLengthHistogram::TokenLengthHistogram(QWidget* parent)
    : QWidget(parent), m_plot(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->setMinimumHeight(150);
    m_kept = new QCPBars(m_plot->xAxis, m_plot->yAxis);
    m_kept->setName(tr("fits"));
    m_kept->setPen(Qt::NoPen);
    m_kept->setBrush(QColor(0x1a, 0x73, 0xe8));
    m_truncated = new QCPBars(m_plot->xAxis, m_plot->yAxis);
    m_truncated->setName(tr("truncated"));
    m_truncated->setPen(Qt::NoPen);
    m_truncated->setBrush(QColor(0xd9, 0x30, 0x25));
    m_plot->xAxis->setLabel(tr("tokens per example"));
    m_plot->yAxis->setLabel(tr("examples"));
    m_plot->legend->setVisible(true);
    m_plot->legend->setFont(font());
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
}

void TokenLengthHistogram::clear() {
    m_kept->data()->clear();
    m_truncated->data()->clear();
    for (int i = m_plot->itemCount() - 1; i >= 0; --i)
        m_plot->removeItem(i);
    m_binCount = 0;
    m_examples = 0;
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TokenLengthHistogram::setLengths(const std::vector<int>& lengths, int maxLength) {
    clear();
    if (lengths.empty())
        return;
    std::vector<int> sorted = lengths;
    std::sort(sorted.begin(), sorted.end());
    // Show up to the 99th percentile (a few huge e-mails would squash the rest), and always the
    // cut-off with some room past it.
    const int p99 = sorted[std::min(sorted.size() - 1, sorted.size() * 99 / 100)];
    const int upper = std::max({p99, maxLength + maxLength / 4, 8});
    const int width = niceWidth(double(upper) / kTargetBins);
    m_binCount = upper / width + 1;
    QVector<double> keys(m_binCount), kept(m_binCount, 0.0), cut(m_binCount, 0.0);
    for (int b = 0; b < m_binCount; ++b)
        keys[b] = b * width + width / 2.0;
    for (int n : lengths) {
        const int b = std::min(n / width, m_binCount - 1);
        (n > maxLength ? cut : kept)[b] += 1;
    }
    m_examples = static_cast<int>(lengths.size());
    m_kept->setWidth(width * 0.9);
    m_truncated->setWidth(width * 0.9);
    m_kept->setData(keys, kept, true);
    m_truncated->setData(keys, cut, true);
    auto* line = new QCPItemStraightLine(m_plot);
    line->point1->setCoords(maxLength, 0);
    line->point2->setCoords(maxLength, 1);
    line->setPen(QPen(QColor(0x5f, 0x63, 0x68), 1, Qt::DashLine));
    auto* label = new QCPItemText(m_plot);
    label->position->setType(QCPItemPosition::ptPlotCoords);
    // The cut-off's label goes on the side of the line with more room, the legend in the top
    // corner away from it (a label right of a line near the right edge was clipped and ran
    // under the legend).
    const bool rightHalf = maxLength > (m_binCount * width) / 2;
    label->setPositionAlignment((rightHalf ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignTop);
    label->setText(rightHalf ? tr("max_length %1 ").arg(maxLength)
                             : tr(" max_length %1").arg(maxLength));
    m_plot->axisRect()->insetLayout()->setInsetAlignment(
        0, Qt::AlignTop | (rightHalf ? Qt::AlignLeft : Qt::AlignRight));
    label->setColor(QColor(0x5f, 0x63, 0x68));
    m_plot->rescaleAxes();
    m_plot->xAxis->setRange(0, m_binCount * width);
    const double top = m_plot->yAxis->range().upper * 1.7;  // room for the legend and label
    m_plot->yAxis->setRange(0, top);
    label->position->setCoords(maxLength, top);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace tb::ui
