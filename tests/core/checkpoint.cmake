# Checkpoint area tests: atomic file replacement (common/atomic_file, which checkpoints and every
# other saved file use), HDF5 checkpoint round trips and failures.
tb_add_test(NAME tst_checkpoint_atomic
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_checkpoint_atomic.cpp LIBS tb_common)
tb_add_test(NAME tst_checkpoint
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_checkpoint.cpp LIBS tb_checkpoint)
tb_add_test(NAME tst_checkpoint_errors
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_checkpoint_errors.cpp LIBS tb_checkpoint)
tb_add_test(NAME tst_checkpoint_disk_failures
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_checkpoint_disk_failures.cpp LIBS tb_checkpoint
    LABELS core)
tb_add_test(NAME tst_checkpoint_scan
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_checkpoint_scan.cpp LIBS tb_checkpoint
    LABELS core)
