# Tests of core/model/vision: image backbones with torchvision names and their parity with
# torchvision (reference: tests/reference/vision/torchvision_reference.py, run at test time),
# the small CNN and MLP, image preprocessing.
tb_add_test(NAME tst_vision_parity SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_vision_parity.cpp
    LIBS tb_vision TIMEOUT 600)
tb_add_test(NAME tst_vision_models SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_vision_models.cpp
    LIBS tb_vision)
