# Task heads, label alignment, freezing, parameter groups, FGM (core/model) and entity-level NER
# metrics (core/metrics). References: tests/reference/model/make_head_fixtures.py (python3-torch)
# and tests/reference/metrics/make_entity_fixtures.py (seqeval semantics).
tb_add_test(NAME tst_entity_report SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_entity_report.cpp
    LIBS tb_metrics LABELS core metrics)
tb_add_test(NAME tst_head_catalog SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_head_catalog.cpp
    LIBS tb_model LABELS core model)
tb_add_test(NAME tst_task_heads SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_task_heads.cpp
    LIBS tb_model LABELS core model)
tb_add_test(NAME tst_model_adaptation SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_model_adaptation.cpp
    LIBS tb_model LABELS core model)
tb_add_test(NAME tst_parameter_census SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_parameter_census.cpp
    LIBS tb_model LABELS core model)
tb_add_test(NAME tst_lora_census SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_lora_census.cpp
    LIBS tb_model LABELS core model)
# A head reading only the first token lets the encoder's last layer compute position 0 alone:
# same logits and gradients as the full pass (BERT, RoBERTa, DistilBERT).
tb_add_test(NAME tst_first_token_only SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_first_token_only.cpp
    LIBS tb_model LABELS core model)
