// tunebench-cli: headless front end over core (no Qt), for servers, clusters and scripts.
#include <CLI/CLI.hpp>

#include "commands.h"
#include "fasttext_commands.h"
#include "model_commands.h"
#include "pretrain_command.h"
#include "tfjs_commands.h"

int main(int argc, char** argv) {
    CLI::App app{
        "tunebench-cli: fine-tune and evaluate text classifiers from a YAML experiment file"};
    app.require_subcommand(1);
    app.set_version_flag("--version", TUNEBENCH_VERSION);

    tb::cli::TrainOptions train_opts;
    auto* train = app.add_subcommand("train", "Run an experiment; writes a new run folder");
    train->add_option("experiment", train_opts.experiment, "Experiment YAML file")
        ->required()
        ->check(CLI::ExistingFile);
    train->add_option("--set", train_opts.overrides,
                      "Override a key of the file, e.g. --set training.epochs=5 (repeatable)");
    train->add_flag("--dry-run", train_opts.dry_run,
                    "Validate data, model, head and memory estimate; train nothing");
    train->add_flag("--find-batch-size", train_opts.find_batch_size,
                    "Find the largest batch one training step fits in at model.max_length "
                    "(trial steps on CUDA, the memory estimate on the CPU); train nothing");
    train
        ->add_option("--max-batch-size", train_opts.max_batch_size,
                     "With --find-batch-size: the largest size tried (default 1024)")
        ->check(CLI::PositiveNumber);
    train->add_flag("--json", train_opts.json,
                    "With --dry-run or --find-batch-size: print the report as JSON");
    train->add_flag("-q,--quiet", train_opts.quiet,
                    "Only print evaluation results and the outcome");

    tb::cli::ResumeOptions resume_opts;
    auto* resume = app.add_subcommand(
        "resume", "Continue a run from a checkpoint exactly; writes a new run folder");
    resume->add_option("run", resume_opts.run_dir, "Run folder (or a checkpoint file)")
        ->required()
        ->check(CLI::ExistingPath);
    resume->add_option("--checkpoint", resume_opts.checkpoint,
                       "Global step N, or a file in <run>/checkpoints (default: the newest)");
    resume->add_option("--set", resume_opts.overrides,
                       "Override a key, e.g. --set training.epochs=6 to train longer");
    resume->add_flag("-q,--quiet", resume_opts.quiet,
                     "Only print evaluation results and the outcome");

    tb::cli::EvalOptions eval_opts;
    auto* eval = app.add_subcommand(
        "eval", "Score a labelled file with a trained checkpoint; prints the report as JSON");
    eval->add_option("checkpoint", eval_opts.checkpoint,
                     "Checkpoint file, or a run folder (its best checkpoint)")
        ->required()
        ->check(CLI::ExistingPath);
    eval->add_option("--data", eval_opts.data,
                     "Labelled data: CSV, TSV or JSONL file (text runs); image folder, path,label "
                     "table, IDX or HDF5 file (image runs)")
        ->required()
        ->check(CLI::ExistingPath);
    eval->add_option("--text-column", eval_opts.text_column, "Default: the experiment's");
    eval->add_option("--label-column", eval_opts.label_column, "Default: the experiment's");
    eval->add_option("--device", eval_opts.device, "cpu|cuda|cuda:N|auto")->capture_default_str();
    eval->add_flag("--text", eval_opts.text, "Print the report as a text table");

    tb::cli::PredictOptions predict_opts;
    auto* predict =
        app.add_subcommand("predict", "Label UTF-8 lines from stdin; one JSON object per line");
    predict
        ->add_option("checkpoint", predict_opts.checkpoint,
                     "Checkpoint file, or a run folder (its best checkpoint)")
        ->required()
        ->check(CLI::ExistingPath);
    predict->add_option("--device", predict_opts.device, "cpu|cuda|cuda:N|auto")
        ->capture_default_str();

    tb::cli::InspectOptions inspect_opts;
    auto* inspect = app.add_subcommand(
        "inspect", "Validate a data file; prints a JSON summary (exit 1 on errors)");
    inspect
        ->add_option("data_file", inspect_opts.path,
                     "CSV, TSV, JSONL, label<TAB>text, CoNLL, tagged text, image folder or IDX")
        ->required();
    inspect
        ->add_option("--format", inspect_opts.format,
                     "auto|csv|tsv|jsonl|label_text|conll|tagged|image_folder|idx")
        ->capture_default_str();
    inspect->add_option("--text-column", inspect_opts.text_column, "Column holding the text");
    inspect->add_option("--label-column", inspect_opts.label_column, "Column holding the label");
    inspect->add_option("--task", inspect_opts.task,
                        "auto|text_classification|multi_label|regression|"
                        "token_classification|image_classification");
    inspect->add_option("--text-pair-column", inspect_opts.text_pair_column,
                        "Second text column (sentence pairs; optional for regression)");
    inspect->add_option("--label-separator", inspect_opts.label_separator,
                        "Multi-label: separator of the labels in the label column");
    inspect->add_option("--label-columns", inspect_opts.label_columns,
                        "Multi-label: the 0/1 columns, one per label");
    inspect->add_option("--tag-column", inspect_opts.tag_column,
                        "CoNLL: 1-based tag column (0 = last)");
    inspect->add_option("--split-column", inspect_opts.split_column,
                        "Column with train/dev/test per row");
    inspect->add_option("--labels", inspect_opts.labels_path, "IDX: the labels file");
    inspect->add_flag("--deidentify", inspect_opts.deidentify,
                      "Count e-mails, URLs, IPs, phone numbers and IDs that would be masked");
    inspect
        ->add_option("--stream-above-mb", inspect_opts.stream_above_mb,
                     "Text tables larger than this (MiB) are checked in one streaming pass with "
                     "bounded memory instead of read whole (0 = always)")
        ->capture_default_str();

    tb::cli::TokenizeOptions tok_opts;
    bool lower = false, no_lower = false;
    auto* tokenize =
        app.add_subcommand("tokenize", "Tokenize UTF-8 lines from stdin; one JSON array per line");
    auto* model_opt =
        tokenize->add_option("--model", tok_opts.model_dir, "Model folder with vocab.txt");
    auto* vocab_opt = tokenize->add_option("--vocab", tok_opts.vocab_path, "vocab.txt file");
    model_opt->excludes(vocab_opt);
    tokenize->add_flag("--lowercase", lower, "Lowercase and strip accents");
    tokenize->add_flag("--no-lowercase", no_lower, "Keep case and accents");
    tokenize->add_flag("--tokens", tok_opts.tokens, "Print token strings instead of ids");
    tokenize->add_option("--max-length", tok_opts.max_length,
                         "Add [CLS]/[SEP] and truncate to this length (0: word pieces only)");

    std::string true_path, pred_path;
    bool text_report = false;
    auto* score = app.add_subcommand("score", "Classification report (JSON) from two label files");
    score->add_option("--true", true_path, "File of true labels, one per line")
        ->required()
        ->check(CLI::ExistingFile);
    score->add_option("--pred", pred_path, "File of predicted labels, one per line")
        ->required()
        ->check(CLI::ExistingFile);
    score->add_flag("--text", text_report, "Print the report as a text table instead of JSON");

    tb::cli::InitModelOptions init_opts;
    auto* init = app.add_subcommand(
        "init-model",
        "Create a randomly initialised (NOT pretrained) BERT-architecture model folder");
    init->add_option("--out", init_opts.out_dir, "New folder to create")->required();
    init->add_option("--corpus", init_opts.corpus_path,
                     "Data file whose text builds the vocabulary")
        ->required()
        ->check(CLI::ExistingFile);
    init->add_option("--text-column", init_opts.text_column)->capture_default_str();
    init->add_option("--hidden", init_opts.hidden)->capture_default_str();
    init->add_option("--layers", init_opts.layers)->capture_default_str();
    init->add_option("--heads", init_opts.heads)->capture_default_str();
    init->add_option("--intermediate", init_opts.intermediate)->capture_default_str();
    init->add_option("--max-positions", init_opts.max_positions)->capture_default_str();
    init->add_option("--vocab-size", init_opts.vocab_size)->capture_default_str();
    init->add_option("--seed", init_opts.seed)->capture_default_str();

    tb::cli::ModelCommands model_commands(app);
    tb::cli::FastTextCommands fasttext_commands(app);
    tb::cli::PretrainCommand pretrain_command(app);
    tb::cli::TfjsCommands tfjs_commands(app);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help / --version exit 0; every usage error exits 2, as docs/cli.md promises.
        const int printed = app.exit(e);
        return printed == 0 ? 0 : 2;
    }

    if (*train)
        return tb::cli::run_train(train_opts);
    if (*resume)
        return tb::cli::run_resume(resume_opts);
    if (*eval)
        return tb::cli::run_eval(eval_opts);
    if (*predict)
        return tb::cli::run_predict(predict_opts);
    if (*inspect)
        return tb::cli::run_inspect(inspect_opts);
    if (*tokenize) {
        if (tok_opts.model_dir.empty() && tok_opts.vocab_path.empty()) {
            std::fprintf(stderr, "tokenize: give --model DIR or --vocab FILE\n");
            return 2;
        }
        tok_opts.lowercase = lower ? 1 : (no_lower ? 0 : -1);
        return tb::cli::run_tokenize(tok_opts);
    }
    if (*score)
        return tb::cli::run_score(true_path, pred_path, text_report);
    if (*init)
        return tb::cli::run_init_model(init_opts);
    if (const int code = model_commands.run(); code >= 0)
        return code;
    if (const int code = fasttext_commands.run(); code >= 0)
        return code;
    if (const int code = pretrain_command.run(); code >= 0)
        return code;
    if (const int code = tfjs_commands.run(); code >= 0)
        return code;
    return 2;
}
