# Tests of core/pretrain (masked-LM pretraining). The PyTorch loss reference:
# tests/reference/pretrain/mlm_loss_reference.py.
tb_add_test(NAME tst_pretrain SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_pretrain.cpp
    LIBS tb_pretrain LABELS core TIMEOUT 300)
