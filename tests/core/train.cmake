tb_add_test(NAME tst_trainer SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_trainer.cpp
    LIBS tb_test_support LABELS core TIMEOUT 600)
tb_add_test(NAME tst_train_parts SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_train_parts.cpp
    LIBS tb_train LABELS core)
tb_add_test(NAME tst_trainer_resume SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_trainer_resume.cpp
    LIBS tb_test_support LABELS core TIMEOUT 600)
tb_add_test(NAME tst_trainer_options SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_trainer_options.cpp
    LIBS tb_test_support LABELS core TIMEOUT 600)
tb_add_test(NAME tst_batch_size_search SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_batch_size_search.cpp
    LIBS tb_train LABELS core)
tb_add_test(NAME tst_trainer_encoders SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_trainer_encoders.cpp
    LIBS tb_test_support LABELS core TIMEOUT 600)
tb_add_test(NAME tst_trainer_tasks SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_trainer_tasks.cpp
    LIBS tb_test_support LABELS core TIMEOUT 600)
tb_add_test(NAME tst_trainer_images SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_trainer_images.cpp
    LIBS tb_train LABELS core TIMEOUT 600)
tb_add_test(NAME tst_trainer_regularization SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_trainer_regularization.cpp
    LIBS tb_test_support LABELS core TIMEOUT 600)
tb_add_test(NAME tst_trainer_bilstm SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_trainer_bilstm.cpp
    LIBS tb_train LABELS core TIMEOUT 600)
tb_add_test(NAME tst_trainer_fasttext SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_trainer_fasttext.cpp
    LIBS tb_train LABELS core TIMEOUT 600)
tb_add_test(NAME tst_multi_tensor_adamw SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_multi_tensor_adamw.cpp
    LIBS tb_train LABELS core)
tb_add_test(NAME tst_trainer_pair_regression
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_trainer_pair_regression.cpp
    LIBS tb_test_support LABELS core TIMEOUT 300)
# An image model folder's preprocessing against the experiment's dataset.image_* keys: adopt,
# compare, and the same pixels from both paths.
tb_add_test(NAME tst_model_image_preprocessing
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_model_image_preprocessing.cpp LIBS tb_train LABELS core)
# Image data with the user's own dev/test files, IDX and HDF5 arrays included.
tb_add_test(NAME tst_image_user_split
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_image_user_split.cpp LIBS tb_train LABELS core)
# Streamed text classification (dataset.stream_threshold_mb) against the in-memory path: same
# data, batches, losses and weights.
tb_add_test(NAME tst_streamed_training SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_streamed_training.cpp
    LIBS tb_test_support LABELS core TIMEOUT 300)
tb_add_test(NAME tst_hdf5_images SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_hdf5_images.cpp
    LIBS tb_train LABELS core)
tb_add_test(NAME tst_prepared_split_column
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_prepared_split_column.cpp
    LIBS tb_test_support LABELS core TIMEOUT 300)
