# Tests for core/data: table readers (CSV/TSV/JSONL), label maps, text datasets, splits, summary.
foreach(test IN ITEMS
        tst_table_csv tst_table_errors tst_table_jsonl tst_table_format tst_table_fuzz
        tst_label_map tst_text_dataset tst_split tst_data_summary tst_token_dataset tst_deidentify tst_text_tasks tst_row_index tst_image_dataset tst_bad_inputs tst_dataset_inspect tst_hdf5_arrays tst_streaming_summary tst_token_streaming tst_dataset_inspect_streaming)
    tb_add_test(NAME ${test} SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/${test}.cpp LIBS tb_data)
endforeach()
