// A QDoubleSpinBox that shows and accepts scientific notation (learning rates like 2e-05).
#pragma once

#include <QDoubleSpinBox>

namespace tb::ui {

// Up/down multiply or divide by 10^(1/4) per step, which suits values spanning decades.
class ScientificSpinBox : public QDoubleSpinBox {
    Q_OBJECT

public:
    explicit ScientificSpinBox(QWidget* parent = nullptr);

    QString textFromValue(double value) const override;
    double valueFromText(const QString& text) const override;
    QValidator::State validate(QString& text, int& pos) const override;
    void stepBy(int steps) override;
};

}  // namespace tb::ui
