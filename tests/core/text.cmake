# Tests of core/text (tokenizers). Fixtures: tests/fixtures/text; the Hugging Face reference
# generator that produced them: tests/reference/text.
tb_add_test(NAME tst_bert_tokenizer SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_bert_tokenizer.cpp
    LIBS tb_text)
tb_add_test(NAME tst_wordpiece_tokenizer
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_wordpiece_tokenizer.cpp LIBS tb_text)
tb_add_test(NAME tst_vocab SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_vocab.cpp LIBS tb_text)
tb_add_test(NAME tst_tokenizer_config
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_tokenizer_config.cpp LIBS tb_text)
tb_add_test(NAME tst_tokenizer_parity
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_tokenizer_parity.cpp LIBS tb_text)
tb_add_test(NAME tst_wordpiece_trainer
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_wordpiece_trainer.cpp LIBS tb_text)
