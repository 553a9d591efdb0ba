// Live loss curves: training loss per step and dev loss per epoch on one step axis.
#include "views/loss_plot.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace tb::ui {

namespace {
constexpr int kFlushIntervalMs = 33;  // ~30 Hz
constexpr double kSmoothing = 0.9;    // EMA weight of the previous value
}  // namespace

LossPlot::LossPlot(QWidget* parent) : QWidget(parent), m_plot(new QCustomPlot(this)) {
    auto* resetButton = new QToolButton(this);
    resetButton->setText(tr("Reset view"));
    resetButton->setToolTip(
        tr("Fit the axes to all points and follow new ones (double-click, Ctrl+0)"));
    resetButton->setAutoRaise(true);
    auto* title = new QLabel(tr("Loss (drag to pan, wheel to zoom)"), this);
    auto* header = new QHBoxLayout;
    header->setContentsMargins(4, 0, 0, 0);
    header->addWidget(title);
    header->addStretch(1);
    header->addWidget(resetButton);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(header);
    layout->addWidget(m_plot, 1);
    setMinimumSize(320, 220);

    m_plot->setNoAntialiasingOnDrag(true);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->xAxis->setLabel(tr("step"));
    m_plot->yAxis->setLabel(tr("loss"));
    m_plot->xAxis->setRange(0, 10);
    m_plot->yAxis->setRange(0, 1);

    m_train = m_plot->addGraph();
    m_train->setName(tr("train loss"));
    m_train->setPen(QPen(QColor(31, 119, 180, 90), 1));

    m_trainSmooth = m_plot->addGraph();
    m_trainSmooth->setName(tr("train loss (smoothed)"));
    m_trainSmooth->setPen(QPen(QColor(31, 119, 180), 2));

    m_dev = m_plot->addGraph();
    m_dev->setName(tr("dev loss (per epoch)"));
    m_dev->setPen(QPen(QColor(214, 39, 40), 2));
    m_dev->setLineStyle(QCPGraph::lsNone);
    m_dev->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QColor(214, 39, 40), Qt::white, 9));

    m_plot->legend->setVisible(true);
    m_plot->legend->setFont(font());
    m_plot->legend->setBrush(QColor(255, 255, 255, 200));  // curves stay visible behind it
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);

    // The user moving the view means "stop following"; Reset view restores it.
    connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
        if (event->button() == Qt::LeftButton)
            m_followData = false;
    });
    connect(m_plot, &QCustomPlot::mouseWheel, this, [this] { m_followData = false; });

    auto* reset = new QAction(tr("Reset view"), this);
    reset->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    reset->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(reset, &QAction::triggered, this, &LossPlot::resetView);
    connect(resetButton, &QToolButton::clicked, this, &LossPlot::resetView);
    addAction(reset);
    m_plot->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_plot->addAction(reset);
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, &LossPlot::resetView);

    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(kFlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &LossPlot::flush);
}

void LossPlot::addTrainLoss(std::int64_t step, double loss) {
    if (!std::isfinite(loss))
        return;
    m_trainSteps.append(static_cast<double>(step));
    m_trainLosses.append(loss);
    scheduleFlush();
}

void LossPlot::addDevLoss(std::int64_t step, double loss) {
    if (!std::isfinite(loss))
        return;
    m_devSteps.append(static_cast<double>(step));
    m_devLosses.append(loss);
    scheduleFlush();
}

void LossPlot::clear() {
    m_flushTimer.stop();
    m_trainSteps.clear();
    m_trainLosses.clear();
    m_devSteps.clear();
    m_devLosses.clear();
    m_train->data()->clear();
    m_trainSmooth->data()->clear();
    m_dev->data()->clear();
    m_hasEma = false;
    m_followData = true;
    m_plot->xAxis->setRange(0, 10);
    m_plot->yAxis->setRange(0, 1);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void LossPlot::setTrainOnly(const QString& name) {
    m_train->setName(name);
    m_trainSmooth->setName(tr("%1 (smoothed)").arg(name));
    m_dev->removeFromLegend();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

int LossPlot::trainPointCount() const {
    return m_train->dataCount();
}

int LossPlot::devPointCount() const {
    return m_dev->dataCount();
}

void LossPlot::resetView() {
    m_followData = true;
    fitAxes();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void LossPlot::scheduleFlush() {
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void LossPlot::flush() {
    if (!m_trainSteps.isEmpty()) {
        QVector<double> smooth(m_trainLosses.size());
        for (int i = 0; i < m_trainLosses.size(); ++i) {
            m_ema = m_hasEma ? kSmoothing * m_ema + (1.0 - kSmoothing) * m_trainLosses[i]
                             : m_trainLosses[i];
            m_hasEma = true;
            smooth[i] = m_ema;
        }
        // Steps arrive in order, so the data is already sorted.
        m_train->addData(m_trainSteps, m_trainLosses, /*alreadySorted=*/true);
        m_trainSmooth->addData(m_trainSteps, smooth, /*alreadySorted=*/true);
        m_trainSteps.clear();
        m_trainLosses.clear();
    }
    if (!m_devSteps.isEmpty()) {
        m_dev->addData(m_devSteps, m_devLosses);
        m_devSteps.clear();
        m_devLosses.clear();
    }
    if (m_followData)
        fitAxes();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void LossPlot::fitAxes() {
    if (m_train->dataCount() == 0 && m_dev->dataCount() == 0)
        return;
    bool found = false;
    QCPRange keys;
    QCPRange values;
    for (QCPGraph* graph : {m_train, m_dev}) {
        bool ok = false;
        const QCPRange k = graph->getKeyRange(ok);
        if (!ok)
            continue;
        const QCPRange v = graph->getValueRange(ok);
        if (!ok)
            continue;
        if (!found) {
            keys = k;
            values = v;
            found = true;
        } else {
            keys.expand(k);
            values.expand(v);
        }
    }
    if (!found)
        return;
    const double lower = std::max(0.0, values.lower - 0.05 * values.size());
    const double upper = values.upper + 0.05 * std::max(values.size(), 1e-3);
    m_plot->xAxis->setRange(0, std::max(keys.upper * 1.04, 1.0));
    m_plot->yAxis->setRange(lower, upper);
}

}  // namespace tb::ui
