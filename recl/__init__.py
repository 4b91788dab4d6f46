"""ReCL: slowing down forgetting in continual learning by reconstructing old data from the network itself

Modules:

- `recl.analysis`: Where Finetune+ReCL's gain comes from: ReCL next to controls at the same budget, the diversity of what it replays, what the network sees in it, and which errors it removes. Every number is a record of the runner.
- `recl.cli`: `recl run` runs any configuration over seeds into a resumable results store; `recl demo` is the main job on the embedded data; `recl table` prints a store as the paper's tables.
- `recl.data`: Split MNIST / Fashion-MNIST / CIFAR-10 / TinyImageNet as a sequence of tasks, class- or domain-incremental, with a seeded class order, N training samples per class, a validation split and the full test split.
- `recl.engine`: One training loop with hooks. A continual-learning method is a `Plugin` that overrides a few hooks; plugins compose (EWC + ER, any method + ReCL) without knowing about each other.
- `recl.experiment`: One function runs a configuration (dataset, scenario, model, method, ReCL strategy, sizes, epochs, hyper-parameters) for a list of seeds and returns/saves one record per seed; finished records are reused.
- `recl.hpsearch`: Optuna over the Table 4 search space on a validation split held out from the training data; the chosen values are saved next to the results and reused by `recl run --tuned`.
- `recl.methods.agem`: Chaudhry et al. (2019): keep a few samples per finished task; if the current gradient would increase the average loss on them, project it so that it does not.
- `recl.methods.base`: The registry of methods (`METHODS`), building and composing plugins from names, a per-task memory buffer, the Finetune baseline, and the hyper-parameter search space of the paper (Table 4) as data.
- `recl.methods.er`: A small buffer with a random subset of each finished task's training data; every training batch is the current batch plus a batch drawn from the buffer.
- `recl.methods.ewc`: Kirkpatrick et al. (2017): a quadratic penalty that keeps the parameters important for earlier tasks (Fisher information) close to their values after those tasks.
- `recl.methods.gpm`: Saha et al. (2021): after each task, store per layer an orthonormal basis of the space spanned by the layer's inputs; later gradients are projected onto the orthogonal complement, so the layer's response to old inputs does not change.
- `recl.methods.lwf`: Li & Hoiem (2017): before a task, the model's own outputs on the new inputs become soft targets; training keeps the outputs of the old units close to them (knowledge distillation).
- `recl.methods.presets`: `PRESETS` maps a protocol name to a run configuration (data, model, optimiser, budget, per-method hyper-parameters): van de Ven et al.'s Split MNIST protocol (`vdv`), its offline twin on the embedded data, the paper's default setting and its online variant. `recl run --preset vdv` reads them.
- `recl.methods.upgd`: Elsayed & Mahmood (2024): protect useful weights by shrinking their updates, and keep the others plastic with a noisy gradient.
- `recl.models`: Homogeneous MLP and CNN (paper Appendix D.1), AlexNet/ResNet-18 for the non-homogeneous experiment, class-incremental head growth, and a numerical check of homogeneity (Eq. 7).
- `recl.recl_plugin`: A plugin that, after each task, reconstructs training-like samples of the old classes from the trained network (Step 1) and adds them to the next task's training data (Step 2). It composes with every method.
- `recl.recon_losses`: The three losses of ReCL's data reconstruction (paper Eq. 3-6, Appendix B.2): the KKT stationarity residual, the lambda loss, the prior loss, and their total.
- `recl.reconstruct`: `reconstruct(model, classes, m, ...)`: optimise m labelled candidates and their coefficients until the trained network's parameters satisfy the KKT stationarity condition on them (paper Section 4.1, Eq. 6).
- `recl.similarity`: Paper Appendix D.5: for each real sample, its nearest reconstruction by L2 on standardised data, then SSIM of the pair after re-adding the mean and min-max stretching. Per-sample SSIM, mean, fraction >= 0.4, grid PNG.
- `recl.smooth_relu`: A copy of a trained network whose ReLUs keep their exact forward pass but back-propagate $\sigma(\alpha z)$, so that the reconstruction loss can be differentiated through the inner gradient.
- `recl.store`: One JSON record per (configuration, seed), written atomically; reruns skip finished records; a table of mean ± std over seeds."""

__version__ = "0.1.0"
