# Tests of core/model/vision: image backbones with torchvision names and their parity with
# torchvision (reference: tests/reference/vision/torchvision_reference.py, run at test time),
# the small CNN and MLP, image preprocessing.
tb_add_test(NAME tst_vision_parity SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_vision_parity.cpp
    LIBS tb_vision TIMEOUT 600)
tb_add_test(NAME tst_vision_models SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_vision_models.cpp
    LIBS tb_vision)
# Image model folders (config.json), the model library's image entries, TorchScript backbones
# (reference: tests/reference/vision/torchscript_reference.py, run at test time).
tb_add_test(NAME tst_vision_library SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_vision_library.cpp
    LIBS tb_vision)
# Built-in architectures in the model library: computed parameter counts against the networks.
tb_add_test(NAME tst_builtin_models SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_builtin_models.cpp
    LIBS tb_vision)
