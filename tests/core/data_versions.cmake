# Tests for core/data/table_writer: writing edited datasets as new version files.
tb_add_test(NAME tst_table_writer SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_table_writer.cpp
    LIBS tb_data LABELS core)
