# The GUI's pretraining dialog (ui/pretrain): a tiny run driven through the widgets, cancel,
# errors, the main window's action, and the shown command line rerun by tunebench-cli.
tb_add_test(NAME tst_pretrain_dialog SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_pretrain_dialog.cpp
    LIBS tb_ui nlohmann_json::nlohmann_json LABELS ui TIMEOUT 120)
add_dependencies(tst_pretrain_dialog tunebench-cli)
