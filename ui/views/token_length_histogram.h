// Histogram of example lengths in tokens (the chosen model's tokenizer), with the max_length
// cut-off drawn and the bars past it (examples that will be truncated) in another colour.
#pragma once

#include <QWidget>

#include <vector>

class QCustomPlot;
class QCPBars;

namespace tb::ui {

class TokenLengthHistogram : public QWidget {
    Q_OBJECT

public:
    explicit TokenLengthHistogram(QWidget* parent = nullptr);

    // `lengths`: [CLS] + pieces + [SEP] per example. Lengths beyond the shown range are counted
    // in the last bin.
    void setLengths(const std::vector<int>& lengths, int maxLength);
    void clear();

    int binCount() const { return m_binCount; }
    int examplesShown() const { return m_examples; }
    QCustomPlot* plot() const { return m_plot; }

    QSize sizeHint() const override { return {360, 200}; }

private:
    QCustomPlot* m_plot;
    QCPBars* m_kept;
    QCPBars* m_truncated;
    int m_binCount = 0;
    int m_examples = 0;
};

}  // namespace tb::ui
