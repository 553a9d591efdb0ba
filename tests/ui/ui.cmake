# UI tests: Qt Test executables run offscreen (QT_QPA_PLATFORM set by tb_add_test).
tb_add_test(NAME tst_ui_views SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_ui_views.cpp
    LIBS tb_ui LABELS ui TIMEOUT 300)
tb_add_test(NAME tst_main_window SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_main_window.cpp
    LIBS tb_ui tb_test_support LABELS ui TIMEOUT 300)
tb_add_test(NAME tst_training_controller
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_training_controller.cpp
    LIBS tb_ui tb_test_support LABELS ui TIMEOUT 600)
tb_add_test(NAME tst_runs_page SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_runs_page.cpp
    LIBS tb_ui LABELS ui TIMEOUT 120)
tb_add_test(NAME tst_data_wizard SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_data_wizard.cpp
    LIBS tb_ui tb_test_support LABELS ui TIMEOUT 300)
tb_add_test(NAME tst_resume_gui SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_resume_gui.cpp
    LIBS tb_ui tb_test_support nlohmann_json::nlohmann_json LABELS ui TIMEOUT 600)
tb_add_test(NAME tst_model_page SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_model_page.cpp
    LIBS tb_ui tb_test_support LABELS ui TIMEOUT 120)
tb_add_test(NAME tst_data_wizard_streaming
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_data_wizard_streaming.cpp
    LIBS tb_ui LABELS ui TIMEOUT 300)
tb_add_test(NAME tst_data_wizard_multilabel
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_data_wizard_multilabel.cpp
    LIBS tb_ui LABELS ui TIMEOUT 300)
tb_add_test(NAME tst_data_wizard_regression
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_data_wizard_regression.cpp
    LIBS tb_ui LABELS ui TIMEOUT 120)
tb_add_test(NAME tst_image_preprocessing_panel
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_image_preprocessing_panel.cpp
    LIBS tb_ui LABELS ui TIMEOUT 120)
tb_add_test(NAME tst_data_wizard_token_streaming
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_data_wizard_token_streaming.cpp
    LIBS tb_ui LABELS ui TIMEOUT 300)
tb_add_test(NAME tst_app_identity SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_app_identity.cpp
    LIBS tb_ui LABELS ui TIMEOUT 60)
