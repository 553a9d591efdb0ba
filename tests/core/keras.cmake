# Tests of core/model/keras: the TF.js / Keras layers-model importer, checked against outputs of
# @tensorflow/tfjs itself (tests/reference/tfjs/tfjs_reference.cjs, fixtures in
# tests/fixtures/tfjs/: nsfwjs' MobileNetV2 and a small synthetic model).
tb_add_test(NAME tst_keras_import SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_keras_import.cpp
    LIBS tb_vision TIMEOUT 300)
