package dev.orcaj.data.text;

/** One text sample of a source proxy: the text and its class index (into {@link LabelledSet#classNames()}). */
public record LabelledText(String text, int label) {
    public LabelledText {
        if (text == null) throw new IllegalArgumentException("LabelledText: text is null");
        if (label < 0) throw new IllegalArgumentException("LabelledText: label " + label + " is negative");
    }
}
