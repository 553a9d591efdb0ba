# Metrics tests: tb::metrics against scikit-learn fixtures (tests/reference/metrics).
tb_add_test(NAME tst_classification_report
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_classification_report.cpp
    LIBS tb_metrics
    LABELS core metrics)
tb_add_test(NAME tst_multilabel_report
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_multilabel_report.cpp
    LIBS tb_metrics
    LABELS core metrics)
tb_add_test(NAME tst_regression_metrics
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_regression_metrics.cpp
    LIBS tb_metrics
    LABELS core metrics)
