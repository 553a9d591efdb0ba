// Image-classification preview: one row per class with its name, its number of images and the
// first few thumbnails.
#pragma once

#include <QImage>
#include <QScrollArea>
#include <QString>
#include <QVector>

namespace tb::ui {

// Thumbnails of one class, made on the scan's worker thread (QImage, not QPixmap, so they can
// be created off the UI thread).
struct ClassThumbnails {
    QString name;
    qint64 count = 0;
    QVector<QImage> images;
};

class ImageGridView : public QScrollArea {
    Q_OBJECT

public:
    explicit ImageGridView(QWidget* parent = nullptr);

    void setClasses(const QVector<ClassThumbnails>& classes);
    void clearClasses();

    int classCount() const { return m_classes; }
    int thumbnailCount() const { return m_thumbnails; }

private:
    int m_classes = 0;
    int m_thumbnails = 0;
};

}  // namespace tb::ui
