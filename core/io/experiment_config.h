// The YAML experiment file: the single description of a run (DESIGN.md section 6).
// The GUI edits it, the CLI runs it, the checkpoint embeds it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tb::io {

struct DatasetConfig {
    std::string path;             // data file; relative paths resolve against the YAML's folder
    std::string format = "auto";  // auto | csv | tsv | jsonl
    std::string text_column = "text";
    std::string label_column = "label";
    std::string label_order = "first_seen";  // first_seen | sorted
    bool skip_invalid_rows = true;  // rows with empty text / missing label: skip (reported) or fail
    double train_fraction = 0.8;    // seeded stratified split when no split files are given
    double dev_fraction = 0.1;
    double test_fraction = 0.1;
    std::string dev_path;  // optional user-provided split files (same format/columns)
    std::string test_path;

    // Import options for every task (docs/config.md, "dataset: tasks and import").
    std::string task = "text_classification";  // | multi_label | token_classification |
                                               // regression | image_classification
    std::string text_pair_column;              // sentence-pair tasks: the second text column
    std::string label_separator;               // multi_label: labels in one column, e.g. "|"
    std::vector<std::string> label_columns;    // multi_label: one 0/1 column per label
    int token_column = 1;                      // token_classification (CoNLL), 1-based
    int tag_column = 0;                        // 1-based; 0 = the last column
    std::string tag_scheme = "auto";           // auto | plain | iob1 | bio | iob2 | iobes
    bool convert_to_bio = true;                // store IOB1/IOBES tags as BIO
    std::string split_column;                  // column with train/dev/test per row
    bool deidentify = false;                   // mask e-mail, URL, IP, phone, long digit runs
    int min_examples_per_label = 5;            // report labels with fewer examples; 0 = off
    // Training files larger than this (MiB) are indexed and read by row offset per batch instead
    // of being loaded whole (text classification, sentence pairs included); 0 = always stream.
    int stream_threshold_mb = 256;
    std::string image_column = "path";  // image_classification tables: path column
    std::string labels_path;            // idx: the labels file next to `path` (images)
    std::string x_dataset = "X";        // hdf5: feature array (N x ...) in `path`
    std::string y_dataset = "y";        // hdf5: label array (N), integers or strings
    int image_width = 224;
    int image_height = 224;
    int image_channels = 3;                          // 1 (grey) or 3 (RGB)
    std::string image_resize = "shorter_side_crop";  // | stretch | center_crop
    int image_resize_shorter = 0;  // shorter_side_crop: shorter side in pixels before the crop
                                   // (256 for a 224 crop, torchvision's recipe); 0 = to the crop
    std::string image_channel_order = "RGB";  // | BGR: the model's input channel order
    std::vector<double> normalize_mean{0.485, 0.456, 0.406};
    std::vector<double> normalize_std{0.229, 0.224, 0.225};
    // image_classification, training split only: random augmentation drawn per example from
    // (training.seed, epoch, example) on the data thread, so reruns and resumes see the same
    // images (docs/config.md, "Image augmentation").
    bool augment_random_resized_crop = false;  // crop area in [augment_crop_min_scale, 1]
    double augment_crop_min_scale = 0.08;      // aspect ratio in [3/4, 4/3], then resize
    bool augment_horizontal_flip = false;      // mirror with probability 0.5
    double augment_rotation_degrees = 0.0;     // rotate by an angle in [-d, d]; 0 = off
    double augment_color_jitter = 0.0;  // brightness/contrast/saturation factor in [1-j, 1+j]
};

struct ModelConfig {
    // Hugging Face-style folder: config.json, model.safetensors, vocab.txt. Image tasks: an
    // image model folder (config.json with "architecture") or a TorchScript .pt file.
    std::string path;
    // image_classification without model.path: resnet18 | resnet34 | resnet50 | mobilenet_v2 |
    // small_cnn | mlp, randomly initialised (seeded).
    std::string architecture;
    bool freeze_backbone = false;  // image models: train only the new head
    std::string head = "auto";     // auto: the head dataset.task calls for; else one it allows
    double classifier_dropout = 0.1;
    int max_length = 128;
    int lowercase = -1;              // -1: from tokenizer_config.json (default true); 0/1 overrides
    bool freeze_embeddings = false;  // keep every "embeddings" parameter fixed
    int freeze_layers = 0;           // keep encoder layers 0 .. freeze_layers-1 fixed
    // LoRA adapters on the encoder's linear layers (docs/models.md); the rest of the encoder is
    // then frozen. Targets empty: the family default (query, value / DistilBERT q_lin, v_lin).
    bool lora = false;
    int lora_rank = 8;
    double lora_alpha = 16.0;
    double lora_dropout = 0.05;
    std::vector<std::string> lora_target_modules;
    std::string pooling = "auto";  // auto | pooler | cls | mean (sequence-level heads)
    // model.architecture bilstm / bilstm_char only (ignored otherwise): the network's sizes and
    // the vocabulary built from the training split. Stored with the config in every checkpoint,
    // so eval, predict and resume rebuild the same network.
    int embedding_dim = 128;
    int lstm_hidden_size = 128;  // per direction; the pooled state has twice as many values
    int lstm_layers = 1;
    int vocab_min_count = 1;     // training-split occurrences a unit needs to get an id
    int vocab_max_size = 30000;  // entries, [PAD] and [UNK] included
    // Encoder dropout overrides; < 0 keeps config.json's value (hidden_dropout_prob /
    // attention_probs_dropout_prob; DistilBERT dropout / attention_dropout).
    double hidden_dropout = -1.0;
    double attention_dropout = -1.0;
    // Multi-label decision thresholds: fixed (multi_label_threshold for every label), tune
    // (per label, maximising dev F1 after each dev evaluation) or list (one per label).
    std::string multi_label_thresholds = "fixed";
    double multi_label_threshold = 0.5;
    std::vector<double> multi_label_threshold_values;  // "list": one per label, in label order
};

// The model.head values the experiment file accepts ("auto" and the heads training supports),
// a subset of the heads tb::model::valid_heads() knows. The Model page offers the others
// disabled.
const std::vector<std::string>& accepted_model_heads();

struct TrainingConfig {
    int epochs = 3;
    int batch_size = 32;
    int eval_batch_size = 64;
    double learning_rate = 2e-5;
    double weight_decay = 0.01;  // not applied to biases and LayerNorm weights
    double warmup_ratio = 0.1;   // linear warmup over this fraction of steps, then linear decay
    double max_grad_norm = 1.0;  // <= 0 disables clipping
    std::uint64_t seed = 42;
    std::string device = "auto";  // auto | cpu | cuda | cuda:N
    int log_every_steps = 10;     // metrics-log cadence for train steps
    int threads = 0;              // Torch intra-op threads; 0 = library default

    // Optimisation (docs/config.md explains each).
    std::string optimizer = "adamw";  // adamw | sgd | rmsprop
    double adam_beta1 = 0.9;
    double adam_beta2 = 0.999;
    double eps = 1e-8;                // adamw, rmsprop
    double momentum = 0.0;            // sgd, rmsprop
    bool nesterov = false;            // sgd; needs momentum > 0
    double rmsprop_alpha = 0.99;      // rmsprop smoothing constant
    std::string schedule = "linear";  // constant | linear | cosine (all after the warmup)
    int warmup_steps = 0;             // > 0 overrides warmup_ratio
    int gradient_accumulation_steps = 1;
    int max_steps = 0;             // > 0: stop after this many optimizer steps (overrides epochs)
    double label_smoothing = 0.0;  // [0, 1)
    std::string class_weights = "none";       // none | balanced | list (class_weight_values)
    std::vector<double> class_weight_values;  // one per label, in label-index order
    int eval_every_steps = 0;                 // 0: evaluate on dev after each epoch
    std::string early_stopping_metric = "dev_macro_f1";
    int early_stopping_patience = 0;  // evaluations without improvement before stopping; 0 = off
    double early_stopping_min_delta = 0.0;
    std::string nan_policy = "stop";  // stop | skip (a step with a non-finite loss)
    std::string precision = "fp32";   // fp32 | bf16 | fp16 (CUDA only for the last two)
    bool allow_tf32 = false;          // TF32 matmul/cuDNN on CUDA GPUs that have it
    int prefetch_batches = 2;         // batches collated ahead on a background thread; 0 = off
    bool group_by_length = false;     // batches of similar length (seeded, deterministic)
    double head_learning_rate_multiplier = 1.0;  // the task head's lr = lr x this
    double layer_lr_decay = 1.0;       // layer-wise decay: layer i of L gets d^(L-1-i); 1 = off
    std::string adversarial = "none";  // none | fgm (perturb the word embeddings, docs/heads.md)
    double adversarial_epsilon = 1.0;  // FGM: L2 norm of the perturbation
};

struct OutputConfig {
    std::string runs_dir = "runs";   // each run gets a new sub-folder; never overwritten
    std::string run_name;            // optional prefix of the run folder name
    int keep_last_checkpoints = 2;   // rolling (epoch and periodic) checkpoints kept
    int checkpoint_every_steps = 0;  // 0 = off; else also save every N optimizer steps
    bool checkpoint_each_epoch = true;
    std::string best_metric = "dev_macro_f1";  // which checkpoint is "best" (always kept)
};

// Metric names usable for output.best_metric and training.early_stopping_metric.
const std::vector<std::string>& selectable_metrics();
// Whether a larger value of the metric is better (false for dev_loss, dev_mse, dev_rmse,
// dev_mae).
bool metric_higher_is_better(const std::string& name);

struct ExperimentConfig {
    std::string name = "experiment";
    DatasetConfig dataset;
    ModelConfig model;
    TrainingConfig training;
    OutputConfig output;

    // Folder of the YAML file (empty when parsed from a string); used to resolve relative paths.
    std::string base_dir;
    // Path resolved against base_dir (absolute paths are returned unchanged; empty stays empty).
    std::string resolve(const std::string& path) const;
};

// Parses and validates. Unknown keys, wrong types and out-of-range values throw tb::Error whose
// location names the YAML file, line, column and dotted key (e.g. "training.epochs").
ExperimentConfig parse_experiment(const std::string& yaml_text,
                                  const std::string& source_name = "");
ExperimentConfig load_experiment(const std::string& path);  // sets base_dir

// Writes every field (defaults included) so a saved file documents the whole run.
std::string to_yaml(const ExperimentConfig& config);
void save_experiment(const ExperimentConfig& config, const std::string& path);

}  // namespace tb::io
