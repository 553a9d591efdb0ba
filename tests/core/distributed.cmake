# Data-parallel training: environment parsing and sharding (no network), and 2 Gloo processes
# on loopback that must train to the same weights as one process.
tb_add_test(NAME tst_distributed_env
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_distributed_env.cpp LIBS tb_train LABELS core)

add_executable(tb_distributed_worker ${CMAKE_CURRENT_SOURCE_DIR}/distributed_worker.cpp)
target_link_libraries(tb_distributed_worker PRIVATE tb_train)
tb_add_test(NAME tst_distributed
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_distributed.cpp
    LIBS nlohmann_json::nlohmann_json LABELS core TIMEOUT 120)
target_compile_definitions(tst_distributed PRIVATE
    TB_DISTRIBUTED_WORKER="$<TARGET_FILE:tb_distributed_worker>")
add_dependencies(tst_distributed tb_distributed_worker)
