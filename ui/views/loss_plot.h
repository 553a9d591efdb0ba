// Live loss curves: training loss per step and dev loss per epoch on one step axis.
#pragma once

#include <QTimer>
#include <QVector>
#include <QWidget>

#include <cstdint>

class QCustomPlot;
class QCPGraph;

namespace tb::ui {

// add*() only buffer points; a ~30 Hz single-shot timer moves them into the graphs and asks
// for a queued replot, so a fast training loop never replots per step. Mouse: drag to pan,
// wheel to zoom; once the user moves the view it stops following new data until resetView().
class LossPlot : public QWidget {
    Q_OBJECT

public:
    explicit LossPlot(QWidget* parent = nullptr);

    void addTrainLoss(std::int64_t step, double loss);
    void addDevLoss(std::int64_t step, double loss);
    void clear();
    // Curves without a dev set (pretraining): names the training curves (legend) and drops the
    // dev-loss series from the legend.
    void setTrainOnly(const QString& name);

    // Points already moved into the graphs (not those still buffered).
    int trainPointCount() const;
    int devPointCount() const;
    QCustomPlot* plot() const { return m_plot; }

public slots:
    // Fits both axes to the data and follows new points again.
    void resetView();

private:
    void scheduleFlush();
    void flush();
    void fitAxes();

    QCustomPlot* m_plot = nullptr;
    QCPGraph* m_train = nullptr;
    QCPGraph* m_trainSmooth = nullptr;  // exponential moving average of m_train
    QCPGraph* m_dev = nullptr;
    QTimer m_flushTimer;
    QVector<double> m_trainSteps, m_trainLosses, m_devSteps, m_devLosses;  // not yet plotted
    double m_ema = 0.0;
    bool m_hasEma = false;
    bool m_followData = true;
};

}  // namespace tb::ui
