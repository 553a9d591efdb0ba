// Horizontal bars of how many examples each label has (the Data page's class balance view).
#pragma once

#include <QStringList>
#include <QVector>
#include <QWidget>

namespace tb::ui {

class LabelBarChart : public QWidget {
    Q_OBJECT

public:
    explicit LabelBarChart(QWidget* parent = nullptr);

    void setCounts(const QStringList& labels, const QVector<qint64>& counts);
    void clear();
    int barCount() const { return m_labels.size(); }
    qint64 count(int index) const { return m_counts.value(index); }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QStringList m_labels;
    QVector<qint64> m_counts;
};

}  // namespace tb::ui
