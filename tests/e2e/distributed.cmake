# tunebench-cli train as 2 data-parallel processes (Gloo, loopback) vs 1 process.
tb_add_test(NAME tst_cli_distributed SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_cli_distributed.cpp
    LIBS nlohmann_json::nlohmann_json tb_checkpoint LABELS e2e TIMEOUT 600)
add_dependencies(tst_cli_distributed tunebench-cli)
