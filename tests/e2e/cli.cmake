tb_add_test(NAME tst_cli SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_cli.cpp
    LIBS nlohmann_json::nlohmann_json LABELS e2e TIMEOUT 600)
add_dependencies(tst_cli tunebench-cli)
tb_add_test(NAME tst_cli_train SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_cli_train.cpp
    LIBS nlohmann_json::nlohmann_json LABELS e2e TIMEOUT 600)
add_dependencies(tst_cli_train tunebench-cli)
tb_add_test(NAME tst_cli_resume SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_cli_resume.cpp
    LIBS tb_checkpoint nlohmann_json::nlohmann_json LABELS e2e TIMEOUT 600)
add_dependencies(tst_cli_resume tunebench-cli)
tb_add_test(NAME tst_cli_models SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_cli_models.cpp
    LIBS nlohmann_json::nlohmann_json LABELS e2e TIMEOUT 300)
add_dependencies(tst_cli_models tunebench-cli)
tb_add_test(NAME tst_cli_image_models SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_cli_image_models.cpp
    LIBS nlohmann_json::nlohmann_json LABELS e2e TIMEOUT 300)
add_dependencies(tst_cli_image_models tunebench-cli)
tb_add_test(NAME tst_cli_fasttext SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_cli_fasttext.cpp
    LIBS nlohmann_json::nlohmann_json LABELS e2e TIMEOUT 300)
add_dependencies(tst_cli_fasttext tunebench-cli)
tb_add_test(NAME tst_cli_image_train SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_cli_image_train.cpp
    LIBS nlohmann_json::nlohmann_json LABELS e2e TIMEOUT 300)
add_dependencies(tst_cli_image_train tunebench-cli)
# The model library beyond Hugging Face folders: model files, a TF.js import, built-ins.
tb_add_test(NAME tst_cli_model_library SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_cli_model_library.cpp
    LIBS nlohmann_json::nlohmann_json LABELS e2e TIMEOUT 300)
add_dependencies(tst_cli_model_library tunebench-cli)
