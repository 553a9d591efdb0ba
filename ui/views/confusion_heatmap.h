// Confusion matrix as a heatmap: rows = true class, columns = predicted class.
#pragma once

#include <QStringList>
#include <QWidget>

#include <cstdint>
#include <vector>

namespace tb::ui {

// Each cell is coloured by its row-normalised value (share of that true class) and shows the
// raw count. Custom-painted so labels, counts and colours stay legible at any size.
class ConfusionHeatmap : public QWidget {
    Q_OBJECT

public:
    explicit ConfusionHeatmap(QWidget* parent = nullptr);

    // `confusion[t][p]` counts examples of true class t predicted as p; square, labels.size().
    void setMatrix(const QStringList& labels,
                   const std::vector<std::vector<std::int64_t>>& confusion);
    void clear();

    int classCount() const { return m_labels.size(); }
    std::int64_t cellCount(int trueIndex, int predictedIndex) const;
    // Count / row total, 0 for an empty row.
    double rowShare(int trueIndex, int predictedIndex) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QStringList m_labels;
    std::vector<std::vector<std::int64_t>> m_confusion;
};

}  // namespace tb::ui
