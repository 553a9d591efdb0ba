# Tests of core/model: safetensors, BERT config, model folders, the BERT modules, weight loading.
# Fixtures: tests/fixtures/model; the independent PyTorch reference that produced them (and that
# tst_bert_parity also runs live when /usr/bin/python3 has torch): tests/reference/model.
tb_add_test(NAME tst_safetensors SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_safetensors.cpp
    LIBS tb_model)
tb_add_test(NAME tst_bert_config SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_bert_config.cpp
    LIBS tb_model)
tb_add_test(NAME tst_model_folder SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_model_folder.cpp
    LIBS tb_model)
tb_add_test(NAME tst_bert_model SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_bert_model.cpp
    LIBS tb_model)
tb_add_test(NAME tst_model_weight_loading
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_model_weight_loading.cpp LIBS tb_model)
tb_add_test(NAME tst_bert_parity SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_bert_parity.cpp
    LIBS tb_model)
# Other encoder families (RoBERTa / DistilBERT / ELECTRA): fixtures tests/fixtures/model/tiny_*,
# reference tests/reference/model/encoder_reference.py.
tb_add_test(NAME tst_encoder_config SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_encoder_config.cpp
    LIBS tb_model)
tb_add_test(NAME tst_encoder_parity SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_encoder_parity.cpp
    LIBS tb_model)
tb_add_test(NAME tst_lora SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_lora.cpp LIBS tb_model)
tb_add_test(NAME tst_model_library SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_model_library.cpp
    LIBS tb_model)
# fastText importer (.bin/.ftz reader, hashing, prediction, backbone) checked on the real
# lid.176.ftz against tests/reference/fasttext/fasttext_reference.py's committed output.
tb_add_test(NAME tst_fasttext SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_fasttext.cpp LIBS tb_model)
# CPU dropout masks: keep rate, scaling, gradients, and the same masks for any thread count and
# after restoring the generator state (resume).
tb_add_test(NAME tst_fast_dropout SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_fast_dropout.cpp
    LIBS tb_model)
# TorchScript parameter counts read from the archive (zip + a pickle reader that runs nothing),
# against PyTorch's counts from tests/reference/model/torchscript_modules.py (run live).
tb_add_test(NAME tst_torchscript_census SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_torchscript_census.cpp
    LIBS tb_model nlohmann_json::nlohmann_json TIMEOUT 300)
