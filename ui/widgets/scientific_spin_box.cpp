// A QDoubleSpinBox that shows and accepts scientific notation (learning rates like 2e-05).
#include "widgets/scientific_spin_box.h"

#include <QLocale>
#include <QRegularExpression>

#include <cmath>

namespace tb::ui {

ScientificSpinBox::ScientificSpinBox(QWidget* parent) : QDoubleSpinBox(parent) {
    setDecimals(15);  // QDoubleSpinBox rounds to this many decimals
    setRange(0.0, 1.0);
    setKeyboardTracking(false);
}

QString ScientificSpinBox::textFromValue(double value) const {
    // "2e-05", "0.001", "1.5e-06": shortest form with up to 4 significant digits.
    return QString::number(value, 'g', 4);
}

double ScientificSpinBox::valueFromText(const QString& text) const {
    return QLocale::c().toDouble(text.trimmed());
}

QValidator::State ScientificSpinBox::validate(QString& text, int&) const {
    const QString t = text.trimmed();
    if (t.isEmpty())
        return QValidator::Intermediate;
    static const QRegularExpression complete(
        QStringLiteral("^[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?$|^[0-9]+\\.$"));
    static const QRegularExpression partial(QStringLiteral("^[0-9]*\\.?[0-9]*([eE][-+]?[0-9]*)?$"));
    if (complete.match(t).hasMatch()) {
        bool ok = false;
        const double v = QLocale::c().toDouble(t, &ok);
        if (ok && v >= minimum() && v <= maximum())
            return QValidator::Acceptable;
        return QValidator::Intermediate;
    }
    return partial.match(t).hasMatch() ? QValidator::Intermediate : QValidator::Invalid;
}

void ScientificSpinBox::stepBy(int steps) {
    double v = value();
    if (v <= 0.0)
        v = 1e-5;
    setValue(v * std::pow(10.0, steps / 4.0));
}

}  // namespace tb::ui
