import { defineGuaranteeSuite } from "./guarantee-suite";

defineGuaranteeSuite("sqlite");
