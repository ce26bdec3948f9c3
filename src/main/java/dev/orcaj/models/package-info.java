/**
 * Pretrained bodies for ORCA: {@link dev.orcaj.models.bert.BertModel} (BERT / RoBERTa, also the embedded MiniLM) and
 * {@link dev.orcaj.models.swin.SwinModel}, both behind {@link dev.orcaj.models.Body}, with Hugging Face state-dict
 * names so checkpoints load by name ({@link dev.orcaj.models.StateDicts}, {@link dev.orcaj.models.Bodies}).
 * Everything is composed from engine tensor ops, so gradients come from the autograd rules of the primitives.
 * Parity with HF is tested on the fixtures of ../shared/data/weights (see the README there).
 */
package dev.orcaj.models;
