#pragma once
// placeholder: written by the chunker work
