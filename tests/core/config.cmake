# Experiment config tests: parsing, validation errors with YAML locations, round trip.
tb_add_test(NAME tst_experiment_config
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_experiment_config.cpp
    LIBS tb_config
    LABELS core config)
