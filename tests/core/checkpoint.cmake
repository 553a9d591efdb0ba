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

# kill -9 during saves: a writer process (the real save path) is killed at random moments.
# The default suite kills it 8 times; the "long" variant 60 times and is excluded from
# scripts/test.sh and the dev test preset (run it with: ctest --test-dir build -L long).
add_executable(checkpoint_kill_writer ${CMAKE_CURRENT_SOURCE_DIR}/checkpoint_kill_writer.cpp)
target_link_libraries(checkpoint_kill_writer PRIVATE tb_checkpoint)
tb_add_test(NAME tst_checkpoint_kill
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_checkpoint_kill.cpp LIBS tb_checkpoint
    LABELS core TIMEOUT 120)
target_compile_definitions(tst_checkpoint_kill PRIVATE
    TB_KILL_WRITER="$<TARGET_FILE:checkpoint_kill_writer>")
add_dependencies(tst_checkpoint_kill checkpoint_kill_writer)
add_test(NAME tst_checkpoint_kill_long COMMAND tst_checkpoint_kill)
set_tests_properties(tst_checkpoint_kill_long PROPERTIES LABELS long TIMEOUT 600
    ENVIRONMENT "TB_KILL_COUNT=60")
tb_add_test(NAME tst_hdf5_memory_file
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_hdf5_memory_file.cpp LIBS tb_checkpoint
    LABELS core)
tb_add_test(NAME tst_checkpoint_h5py
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_checkpoint_h5py.cpp LIBS tb_checkpoint
    LABELS core)
