package dev.orcaj.backend;

/** Broadcasting binary primitives. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV;

    public double apply(double a, double b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
        };
    }
}
