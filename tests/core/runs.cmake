# Run folders read without LibTorch: catalog and live metrics tail.
tb_add_test(NAME tst_runs SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_runs.cpp
    LIBS tb_runs LABELS core)
