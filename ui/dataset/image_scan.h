// The image part of a dataset scan: folder-per-class trees, path/label tables and IDX files,
// with per-class thumbnails for the Data page's grid.
#pragma once

#include "dataset/dataset_scan.h"

namespace tb::ui {

// Fills `scan` (classes, counts, problems, split counts, thumbnails) for an image dataset.
// Runs on the scan's worker thread; throws tb::Error for a fatal problem and ScanCancelled.
void scanImages(const DatasetScanRequest& request, DatasetScan& scan, ScanControl& control);

}  // namespace tb::ui
