# Experiment config tests: parsing, defaults and round trip; validation errors with YAML locations.
tb_add_test(NAME tst_experiment_config
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_experiment_config.cpp
    LIBS tb_config
    LABELS core config)
tb_add_test(NAME tst_experiment_config_errors
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_experiment_config_errors.cpp
    LIBS tb_config
    LABELS core config)
tb_add_test(NAME tst_dataset_config
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_dataset_config.cpp
    LIBS tb_config
    LABELS core config)
tb_add_test(NAME tst_yaml_overrides
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_yaml_overrides.cpp
    LIBS tb_config
    LABELS core config)
