// A red message strip shown above a page's content for a fatal problem (hidden when empty).
#pragma once

#include <QFrame>

class QLabel;

namespace tb::ui {

class ErrorBanner : public QFrame {
    Q_OBJECT

public:
    explicit ErrorBanner(QWidget* parent = nullptr);

    // Empty title and detail hide the banner.
    void showMessage(const QString& title, const QString& detail = {});
    void clearMessage();
    QString text() const;

private:
    QLabel* m_label = nullptr;
    QString m_plain;  // title and detail as plain text, for tests and copying
};

}  // namespace tb::ui
